package io.portside.handler.api;

/** The four socketserver transports. */
public enum Transport {
    /** TCP over IPv4 or IPv6 ({@code TCPServer}). */
    TCP("tcp", true),
    /** UDP over IPv4 or IPv6 ({@code UDPServer}). */
    UDP("udp", false),
    /** Unix domain stream socket ({@code UnixStreamServer}). */
    UNIX_STREAM("unix", true),
    /** Unix domain datagram socket ({@code UnixDatagramServer}). */
    UNIX_DATAGRAM("unixgram", false);

    private final String scheme;
    private final boolean stream;

    Transport(String scheme, boolean stream) {
        this.scheme = scheme;
        this.stream = stream;
    }

    /** The scheme used in endpoint strings, for example {@code tcp} in {@code tcp://127.0.0.1:9999}. */
    public String scheme() {
        return scheme;
    }

    /** True for connection-oriented transports, whose requests are {@link StreamRequest}s. */
    public boolean isStream() {
        return stream;
    }

    /** The transport for an endpoint scheme. */
    public static Transport ofScheme(String scheme) {
        for (Transport t : values()) {
            if (t.scheme.equalsIgnoreCase(scheme)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + scheme + "' (expected tcp, udp, unix or unixgram)");
    }
}
