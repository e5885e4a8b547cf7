/**
 * The PROXY protocol (HAProxy's {@code doc/proxy-protocol.txt}, versions 1 and 2) on the receiving side: a decoder
 * that says exactly how many bytes to read next so it never reads past the header, the header it yields, and a reader
 * that takes one header off a connection's input. Private to server-core: handlers see
 * {@link io.portside.handler.api.ProxyInfo}.
 */
package io.portside.server.proxy.internal;
