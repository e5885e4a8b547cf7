package bench.nettytls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.Version;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * TLS benchmark peer (loopback only): Netty's {@code SslHandler} in front of the harness's line protocol.
 *
 * <pre>
 *   java -jar netty-tls.jar PORT CERT.pem KEY.pem jdk|openssl
 * </pre>
 *
 * Each line (ending in '\n') is answered upper-cased, flushed at the end of each read batch, as the shared
 * netty-echo peer does. TLSv1.3 and TLSv1.2 with the provider's default ciphers, as a Portside listener has them.
 * {@code jdk} is the JDK's SSLEngine (what Portside uses); {@code openssl} is BoringSSL from
 * netty-tcnative-boringssl-static. Prints one "READY ..." line when listening.
 */
public final class NettyTls {
    private static final int MAX_LINE = 16 << 20;

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: PORT CERT.pem KEY.pem jdk|openssl");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        SslProvider provider = provider(args[3]);
        SslContext ssl = SslContextBuilder.forServer(new File(args[1]), new File(args[2]))
                .sslProvider(provider)
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");

        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> chClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, factory);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, factory); // 0 = 2 * cores, as netty-echo
        Channel server = new ServerBootstrap()
                .group(boss, workers)
                .channel(chClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()),
                                new LineBasedFrameDecoder(MAX_LINE, false, true), UPPER);
                    }
                })
                .bind(new InetSocketAddress(loopback, port)).sync().channel();
        String version = Version.identify().containsKey("netty-handler")
                ? Version.identify().get("netty-handler").artifactVersion() : "?";
        System.out.println("READY server=netty-tls port=" + ((InetSocketAddress) server.localAddress()).getPort()
                + " provider=" + provider + (provider == SslProvider.OPENSSL ? " (" + OpenSsl.versionString() + ")" : "")
                + " transport=" + (epoll ? "epoll" : "nio") + " netty=" + version + " java=" + Runtime.version());
        System.out.flush();
        server.closeFuture().sync();
    }

    private static SslProvider provider(String name) {
        switch (name) {
            case "jdk":
                return SslProvider.JDK;
            case "openssl":
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("netty-tcnative is not available", OpenSsl.unavailabilityCause());
                }
                return SslProvider.OPENSSL;
            default:
                throw new IllegalArgumentException("provider must be jdk or openssl, got " + name);
        }
    }

    private static final ChannelHandler UPPER = new LineUpper();

    /** One frame = one line including '\n'; answer it upper-cased (ASCII), in place. */
    @ChannelHandler.Sharable
    static final class LineUpper extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf line = (ByteBuf) msg;
            for (int i = line.readerIndex(), end = line.writerIndex(); i < end; i++) {
                byte c = line.getByte(i);
                if (c >= 'a' && c <= 'z') line.setByte(i, c - 32);
            }
            ctx.write(line, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // e.g. a failed handshake, a reset, an over-long line
        }
    }

    private NettyTls() {}
}
