package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.SocketAddress;
import java.net.URISyntaxException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

import io.portside.handler.api.Transport;

/**
 * The packaged server-core bundle resolves on a plain framework next to handler-api, the DS runtime and Bouncy Castle
 * alone (its manifest imports nothing else that is not optional), and the junixsocket it embeds privately loads its native
 * library from inside the bundle.
 */
class ServerCoreBundleIT {

    @Test
    void resolvesAndLoadsItsNativeLibrary(@TempDir Path home) throws Exception {
        Path bundle = Path.of(System.getProperty("portside.bundle", "target/server-core.jar"));
        assertTrue(Files.isRegularFile(bundle), "packaged bundle " + bundle);
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, home.resolve("cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(config);
        framework.start();
        try {
            BundleContext context = framework.getBundleContext();
            Bundle api = context.installBundle("reference:" + location(Transport.class).toUri());
            for (Class<?> dsRuntime : new Class<?>[] {org.osgi.util.function.Function.class, org.osgi.util.promise.Promise.class,
                    org.osgi.service.component.ComponentContext.class, org.apache.felix.scr.info.ScrInfo.class}) {
                context.installBundle(location(dsRuntime).toUri().toString()).start();
            }
            // Bouncy Castle (TLS listeners' PEM files) is imported, not embedded: the launcher installs it beside server-core.
            for (Class<?> bouncyCastle : new Class<?>[] {org.bouncycastle.asn1.x509.Certificate.class,
                    org.bouncycastle.asn1.cms.ContentInfo.class, org.bouncycastle.openssl.PEMParser.class}) {
                context.installBundle(location(bouncyCastle).toUri().toString());
            }
            Bundle core = context.installBundle(bundle.toUri().toString());
            api.start();
            core.start();
            assertEquals(Bundle.ACTIVE, core.getState(), "server-core resolved and started");

            Class<?> channels = core.loadClass("io.portside.server.internal.DatagramChannels");
            assertFalse(channels.getClassLoader() == io.portside.server.internal.DatagramChannels.class.getClassLoader(), "loaded from the bundle");
            Class<?> unix = core.loadClass("org.newsclub.net.unix.AFUNIXDatagramChannel");
            Method open = unix.getMethod("open");
            Path socket = home.resolve("it.sock");
            Class<?> address = core.loadClass("org.newsclub.net.unix.AFUNIXSocketAddress");
            SocketAddress bindTo = (SocketAddress) address.getMethod("of", Path.class).invoke(null, socket);
            try (DatagramChannel channel = (DatagramChannel) open.invoke(null)) {
                channel.bind(bindTo);
                assertTrue(Files.exists(socket), "the native library works inside the bundle");
            }
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    /** Where a class was loaded from: handler-api's jar, or its classes folder (bnd writes the manifest there too). */
    private static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
