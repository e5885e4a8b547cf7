package io.portside.server.internal;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;

/**
 * How many bytes a connected stream socket holds unread (FIONREAD), for {@code available()}. The JDK answers this
 * for every socket channel ({@code SocketChannelImpl.available()}), but only publicly through the socket adaptor,
 * which Unix channels do not have. With {@code --add-opens java.base/sun.nio.ch} (the launcher sets it) both
 * families are answered; without it TCP still is, through the adaptor, and Unix sockets report 0, which
 * {@link java.io.InputStream#available()} allows.
 */
final class PendingBytes {

    private static final Method AVAILABLE = lookUp();

    private PendingBytes() {
    }

    static int of(SocketChannel channel, boolean unix) throws IOException {
        if (AVAILABLE != null) {
            try {
                return (int) AVAILABLE.invoke(channel);
            } catch (ReflectiveOperationException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                // Not the JDK's own channel class: fall through to what the public API offers.
            } catch (IllegalArgumentException notTheJdkChannel) {
                // Another provider's channel: fall through.
            }
        }
        return unix ? 0 : channel.socket().getInputStream().available();
    }

    private static Method lookUp() {
        try {
            Method m = Class.forName("sun.nio.ch.SocketChannelImpl").getDeclaredMethod("available");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException notOpened) {
            return null;
        }
    }
}
