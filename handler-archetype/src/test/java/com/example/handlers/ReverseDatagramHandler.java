package com.example.handlers;

import java.nio.charset.StandardCharsets;

import io.portside.handler.api.DatagramRequestHandler;

/** Answers each datagram with its text reversed. One instance per datagram. */
final class ReverseDatagramHandler extends DatagramRequestHandler {

    @Override
    protected void handle() {
        String text = new String(packet, StandardCharsets.UTF_8).strip();
        // wfile collects the reply; finish() sends it to the client as one datagram.
        wfile.writeBytes(new StringBuilder(text).reverse().toString().getBytes(StandardCharsets.UTF_8));
    }
}
