package io.portside.server.forking.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.FileDescriptorAccess;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * File descriptors of channels, and channels made from received descriptors. The JDK offers neither: a JDK
 * channel's descriptor is only reachable through its implementation ({@code sun.nio.ch.SelChImpl.getFD()}), and a
 * JDK channel can only be made from a descriptor by the implementation's own constructors, which need
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}. junixsocket's channels expose their descriptors themselves.
 */
public final class Descriptors {

    /** The option a JVM that forks needs, as users type it. */
    public static final String ADD_OPENS = "--add-opens java.base/sun.nio.ch=ALL-UNNAMED";

    private Descriptors() {
    }

    /**
     * Fails with one clear message unless this JVM lets us read a JDK channel's descriptor.
     *
     * @throws IllegalStateException naming the missing JVM option
     */
    public static void requireAccess() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            fdMethod(probe);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a socket to check descriptor access: " + e.getMessage(), e);
        }
    }

    /** The descriptor of a JDK or junixsocket channel. */
    public static FileDescriptor of(SelectableChannel channel) throws IOException {
        if (channel instanceof FileDescriptorAccess access) {
            return access.getFileDescriptor();
        }
        try {
            return (FileDescriptor) fdMethod(channel).invoke(channel);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IOException("cannot read the descriptor of " + channel + ": " + e, e);
        }
    }

    /** The accessible {@code getFD} of each channel class, looked up once. */
    private static final ClassValue<Method> FD_METHODS = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            return lookupFdMethod(type);
        }
    };

    private static Method fdMethod(SelectableChannel channel) {
        return FD_METHODS.get(channel.getClass());
    }

    private static Method lookupFdMethod(Class<?> type) {
        try {
            // The class, not Class.forName: inside OSGi a bundle class loader does not see sun.* by name.
            Method m = type.getMethod("getFD");
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getName() + " has no getFD(): this JDK's channels cannot be forked", e);
        } catch (RuntimeException e) { // InaccessibleObjectException
            throw new IllegalStateException("Forking needs the JVM option " + ADD_OPENS + " to hand connections to worker processes "
                    + "(java -jar of the Portside launcher sets it from its manifest; with java -cp, add it to the command line)", e);
        }
    }

    // ------------------------------------------------------------------ worker side

    /** The JDK's own constructor of accepted connections; looked up on the first connection a worker gets. */
    private static final class SocketChannels {
        static final Constructor<?> CONSTRUCTOR;

        static {
            try {
                CONSTRUCTOR = Class.forName("sun.nio.ch.SocketChannelImpl").getDeclaredConstructor(SelectorProvider.class,
                        ProtocolFamily.class, FileDescriptor.class, SocketAddress.class);
                CONSTRUCTOR.setAccessible(true);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /** A JDK {@link SocketChannel} (blocking) for a connected stream socket received from the server. */
    public static SocketChannel socketChannel(FileDescriptor fd, ProtocolFamily family, SocketAddress remote) throws IOException {
        try {
            SocketChannel channel = (SocketChannel) SocketChannels.CONSTRUCTOR.newInstance(SelectorProvider.provider(), family, fd, remote);
            // The descriptor's O_NONBLOCK flag is whatever the server left; make it agree with the channel's idea (blocking).
            channel.configureBlocking(false);
            channel.configureBlocking(true);
            return channel;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new IOException("cannot make a channel of a received connection: " + e, e);
        }
    }

    /**
     * The server's datagram socket as a channel a worker may send from (never receive from, never close). Its
     * O_NONBLOCK flag is shared with the server, which needs it set: the channel is made non-blocking too.
     */
    public static DatagramChannel datagramChannel(FileDescriptor fd, ProtocolFamily family) throws IOException {
        if (family == StandardProtocolFamily.UNIX) {
            AFUNIXDatagramChannel channel = FileDescriptorCast.using(fd).as(AFUNIXDatagramChannel.class);
            // junixsocket would delete the server's socket file when this copy is closed.
            channel.setDeleteOnClose(false);
            channel.setShutdownOnClose(false);
            channel.configureBlocking(false);
            return channel;
        }
        try {
            // The JDK takes the channel's family from the JVM (INET6 unless java.net.preferIPv4Stack), which is why
            // workers of IPv4 datagram servers run with -Djava.net.preferIPv4Stack=true (WorkerCommand).
            Constructor<?> c = Class.forName("sun.nio.ch.DatagramChannelImpl").getDeclaredConstructor(SelectorProvider.class, FileDescriptor.class);
            c.setAccessible(true);
            DatagramChannel channel = (DatagramChannel) c.newInstance(SelectorProvider.provider(), fd);
            channel.configureBlocking(false);
            return channel;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot make a channel of the server's datagram socket: " + e, e);
        }
    }
}
