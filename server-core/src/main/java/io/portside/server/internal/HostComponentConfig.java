package io.portside.server.internal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * What the host's own singleton configurations ({@code io.portside.agent}, {@code io.portside.metrics}) read alike: an
 * endpoint of their own, and which keys the framework added to the file's.
 */
public final class HostComponentConfig {

    private HostComponentConfig() {
    }

    /**
     * {@code tcp://HOST:PORT}, with an IPv6 address in brackets; the port may be 0 (any free port, for tests).
     *
     * @throws IllegalArgumentException naming {@code key} and the value
     */
    public static InetSocketAddress tcpAddress(String key, String text) {
        try {
            URI uri = new URI(text);
            if (!"tcp".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0
                    || uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null) {
                throw new IllegalArgumentException("'" + key + "' must be tcp://HOST:PORT: '" + text + "'");
            }
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
            return new InetSocketAddress(host, uri.getPort());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + key + "' must be tcp://HOST:PORT: '" + text + "'", e);
        }
    }

    /** Keys ConfigAdmin, FileInstall and SCR add (SCR passes the component's own properties along with the file's). */
    public static boolean addedByFramework(String key) {
        return key.startsWith("service.") || key.startsWith("felix.fileinstall.") || key.startsWith("component.")
                || key.startsWith("osgi.");
    }
}
