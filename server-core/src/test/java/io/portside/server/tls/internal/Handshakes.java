package io.portside.server.tls.internal;

import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/** A JDK client engine and a server engine shaking hands over in-memory buffers: the real TLS handshake, no sockets. */
final class Handshakes {

    private Handshakes() {
    }

    /** A client that trusts {@code ca}, presents {@code clientCert} when given, and asks for {@code sni} when not null. */
    static SSLEngine client(X509Certificate ca, TestPki.Issued clientCert, String sni, String... alpn) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientCert != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("me", clientCert.keys().getPrivate(), "x".toCharArray(), new X509Certificate[] {clientCert.certificate(), ca});
            kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(keys, "x".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLEngine engine = context.createSSLEngine(sni == null ? "127.0.0.1" : sni, 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        if (alpn.length > 0) {
            parameters.setApplicationProtocols(alpn);
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Runs the handshake to its end; throws the first side's SSLException when it fails. */
    static void run(SSLEngine client, SSLEngine server) throws SSLException {
        ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
        ByteBuffer app = ByteBuffer.allocate(1 << 17);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 100; round++) {
            client.wrap(empty, toServer);
            server.wrap(empty, toClient);
            toServer.flip();
            server.unwrap(toServer, app.clear());
            toServer.compact();
            toClient.flip();
            client.unwrap(toClient, app.clear());
            toClient.compact();
            runTasks(client);
            runTasks(server);
            if (done(client) && done(server) && toServer.position() == 0 && toClient.position() == 0) {
                return;
            }
        }
        throw new SSLException("handshake did not finish in 100 rounds");
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }

    /** The leaf certificate the server presented to the client. */
    static X509Certificate served(SSLEngine client) throws SSLException {
        return (X509Certificate) client.getSession().getPeerCertificates()[0];
    }
}
