package io.portside.server.tls.internal;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import io.portside.server.internal.HostClock;

/**
 * The live TLS state of one listener: the last good load of its certificate and key files, the engines for new
 * connections made from it, and the watch that reloads it when the files change.
 *
 * <p>Reload follows Jetty's {@code SslContextFactory.reload} lesson (a failed reload must never clear the active context):
 * the files are loaded into a new {@link LoadedTls}, and only a complete, matching, in-date load replaces the current one,
 * in one volatile write. Open connections keep the engine they have; new handshakes see the new certificate.
 *
 * <p>The files are checked about once a second on the process's {@link HostClock} (every {@link #TICKS_PER_CHECK}th
 * tick): no thread of its own. A failed reload is reported one check later, and only if the files have not changed again
 * meanwhile: replacing a certificate and then its key is two renames, and the moment between them must not log a
 * mismatch. Each failure is reported once, not every second.
 */
public final class TlsMaterial implements AutoCloseable {

    /** Ticks of the clock (100 ms each) between two looks at the files. */
    static final int TICKS_PER_CHECK = 10;
    /**
     * A certificate expiring within this is warned about once per load: at the load, or at the first check after it comes
     * this close (a host that loaded it months ago must warn too).
     */
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);
    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private final String listener;
    private final TlsSettings settings;
    private final HostClock clock;
    private final HostClock.Watched watch = new FileWatch();
    private volatile LoadedTls current;
    private volatile boolean closed;
    private FileStamps seen;          // guarded by this: the files as last looked at
    private TlsFileException pending; // guarded by this: a failed reload, reported if the files stay so until the next check
    private final Set<Path> expiryWarned = new HashSet<>(); // guarded by this: certificate files warned about in this load

    private TlsMaterial(String listener, TlsSettings settings, HostClock clock, LoadedTls loaded, FileStamps seen) {
        this.listener = listener;
        this.settings = settings;
        this.clock = clock;
        this.current = loaded;
        this.seen = seen;
    }

    /**
     * Loads a listener's TLS files and starts watching them.
     *
     * @param listener the listener's name, for log lines
     * @throws IllegalArgumentException (a {@link TlsFileException} for a file) when the files cannot be served or a cipher
     *     suite is unknown: the listener fails closed
     */
    public static TlsMaterial open(String listener, TlsSettings settings) {
        return open(listener, settings, HostClock.shared());
    }

    static TlsMaterial open(String listener, TlsSettings settings, HostClock clock) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("'" + TlsSettings.CERTIFICATE + "' is not set: the listener serves no TLS");
        }
        // Stamped before loading: a file replaced while it loads is a change at the first check.
        FileStamps stamps = FileStamps.of(settings.files());
        LoadedTls loaded = LoadedTls.load(settings, Instant.now());
        checkCiphers(loaded.context(), settings.ciphers());
        TlsMaterial material = new TlsMaterial(listener, settings, clock, loaded, stamps);
        synchronized (material) {
            material.warnNearExpiry(Instant.now());
        }
        clock.watch(material.watch);
        return material;
    }

    /** A server-mode engine for a new connection from {@code peer}, with the certificates current now. */
    public SSLEngine newEngine(SocketAddress peer) {
        SSLContext context = current.context();
        SSLEngine engine = peer instanceof InetSocketAddress inet
                ? context.createSSLEngine(inet.getHostString(), inet.getPort())
                : context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(settings.protocols().toArray(String[]::new));
        if (!settings.ciphers().isEmpty()) {
            parameters.setCipherSuites(settings.ciphers().toArray(String[]::new));
        }
        if (!settings.alpn().isEmpty()) {
            // The JDK picks the first of ours the client offers, and fails the handshake when it offers none of them.
            parameters.setApplicationProtocols(settings.alpn().toArray(String[]::new));
        }
        switch (settings.clientAuth()) {
            case REQUIRED -> parameters.setNeedClientAuth(true);
            case OPTIONAL -> parameters.setWantClientAuth(true);
            case NONE -> { }
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    public TlsSettings settings() {
        return settings;
    }

    /** The leaf certificates served now, the default first. */
    public List<X509Certificate> certificates() {
        return current.served().stream().map(ServedCertificate::leaf).toList();
    }

    /** When the certificates served now were loaded. */
    public Instant loadedAt() {
        return current.loadedAt();
    }

    /** Stops watching the files; engines already made keep working. */
    @Override
    public void close() {
        closed = true;
        clock.unwatch(watch);
    }

    /** One look at the files, as the clock takes every second; tests call it to skip the wait. */
    void checkFiles() {
        checkFiles(Instant.now());
    }

    synchronized void checkFiles(Instant at) {
        FileStamps now = FileStamps.of(settings.files());
        if (now.equals(seen)) {
            warnNearExpiry(at);
            if (pending != null) {
                LOG.log(Level.WARNING, "Listener {0}: kept the TLS certificates loaded {1}; the changed files cannot be served: {2}",
                        listener, current.loadedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), pending.getMessage());
                pending = null;
            }
            return;
        }
        seen = now;
        try {
            LoadedTls loaded = LoadedTls.load(settings, at);
            current = loaded;
            pending = null;
            expiryWarned.clear();
            LOG.log(Level.INFO, "Listener {0}: reloaded TLS certificates: {1}", listener, describe(loaded));
            warnNearExpiry(loaded.loadedAt());
        } catch (TlsFileException e) {
            pending = e;
        }
    }

    /** Warns about each served certificate within {@link #EXPIRY_WARNING} of its end, once per load. Under this. */
    private void warnNearExpiry(Instant now) {
        for (ServedCertificate certificate : current.served()) {
            Duration left = Duration.between(now, certificate.expires());
            if (left.compareTo(EXPIRY_WARNING) < 0 && expiryWarned.add(certificate.certificateFile())) {
                String when = left.isNegative() ? "has expired" : "expires in " + left.toDays() + " day(s)";
                LOG.log(Level.WARNING, "Listener {0}: TLS certificate {1} ({2}) {3}, at {4}; replace the file (copy, then rename)"
                        + " and the listener reloads it", listener, certificate.certificateFile(),
                        ServedCertificate.subject(certificate.leaf()), when, certificate.expires());
            }
        }
    }

    private static String describe(LoadedTls loaded) {
        return loaded.served().stream()
                .map(c -> c.certificateFile() + " (" + ServedCertificate.subject(c.leaf()) + ", until " + c.expires() + ")")
                .collect(Collectors.joining(", "));
    }

    /** An unknown cipher suite fails the listener at start, naming it, rather than every handshake later. */
    private static void checkCiphers(SSLContext context, List<String> ciphers) {
        Set<String> supported = new HashSet<>(Arrays.asList(context.getSupportedSSLParameters().getCipherSuites()));
        for (String cipher : ciphers) {
            if (!supported.contains(cipher)) {
                throw new IllegalArgumentException("'" + TlsSettings.CIPHERS + "' names a cipher suite the JDK does not support: '"
                        + cipher + "'");
            }
        }
    }

    /** The clock's view: every tenth tick, a look at the files; nothing it meets may stop the watch. */
    private final class FileWatch implements HostClock.Watched {
        private int ticks; // only the clock's thread calls tick

        @Override
        public boolean tick(long now) {
            if (closed) {
                return false;
            }
            if (++ticks >= TICKS_PER_CHECK) {
                ticks = 0;
                try {
                    checkFiles();
                } catch (RuntimeException e) { // a failed reload is no reason to stop watching for the fix
                    LOG.log(Level.WARNING, "Listener {0}: checking the TLS files failed: {1}", listener, e.toString());
                }
            }
            return !closed;
        }
    }
}
