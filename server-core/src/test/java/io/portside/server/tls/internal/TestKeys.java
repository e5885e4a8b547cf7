package io.portside.server.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed keys made by the JDK's keytool for one test class: a server (CN=localhost), a client the server trusts,
 * and a stranger it does not. Never committed: made fresh in a temporary folder.
 */
final class TestKeys {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private final Path dir;

    private TestKeys(Path dir) {
        this.dir = dir;
    }

    static TestKeys generate(Path dir) throws IOException, InterruptedException {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<Process> running = new ArrayList<>();
        for (String name : List.of("server", "client", "stranger")) {
            String dname = "CN=" + (name.equals("server") ? "localhost" : name) + ",O=Portside Test";
            List<String> cmd = new ArrayList<>(List.of(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname",
                    "secp256r1", "-dname", dname, "-validity", "2", "-storetype", "PKCS12", "-keystore",
                    dir.resolve(name + ".p12").toString(), "-storepass", "changeit", "-keypass", "changeit"));
            if (name.equals("server")) {
                cmd.addAll(List.of("-ext", "san=dns:localhost"));
            }
            running.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start());
        }
        for (Process p : running) {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + Files.readString(dir.resolve("server.log")));
            }
        }
        return new TestKeys(dir);
    }

    /** The server's context; {@code trustClient}: it trusts the client's certificate (for mutual TLS). */
    SSLContext server(boolean trustClient) throws Exception {
        return context("server", trustClient ? "client" : null);
    }

    /** A client's context that trusts the server; {@code key}: "client", "stranger" or null for none. */
    SSLContext client(String key) throws Exception {
        return context(key, "server");
    }

    Path keyStore(String name) {
        return dir.resolve(name + ".p12");
    }

    private SSLContext context(String key, String trusted) throws Exception {
        KeyManagerFactory kmf = null;
        if (key != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(key), PASSWORD);
        }
        TrustManagerFactory tmf = null;
        if (trusted != null) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(trusted, certificate(trusted));
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : new KeyManager[] {new AlwaysOffered((X509KeyManager) kmf.getKeyManagers()[0], key)}, tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx;
    }

    Certificate certificate(String name) throws Exception {
        return load(name).getCertificate(name);
    }

    private KeyStore load(String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore(name))) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    /**
     * Offers its one key whatever CAs the server names: the JDK's own manager would send a stranger's certificate to no
     * server that names only other CAs, and the test wants the server to judge it.
     */
    private static final class AlwaysOffered extends X509ExtendedKeyManager {
        private final X509KeyManager keys;
        private final String alias;

        AlwaysOffered(X509KeyManager keys, String alias) {
            this.keys = keys;
            this.alias = alias;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return alias;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return alias;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return alias;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return alias;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {alias};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {alias};
        }

        @Override
        public X509Certificate[] getCertificateChain(String a) {
            return keys.getCertificateChain(a);
        }

        @Override
        public PrivateKey getPrivateKey(String a) {
            return keys.getPrivateKey(a);
        }
    }
}
