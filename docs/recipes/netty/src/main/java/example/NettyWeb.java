// A Netty server for zdm, both listen modes, on the native epoll transport. listen: socket: the shared
// socket is fd 3 (LISTEN_FDS), which EpollServerSocketChannel(3) takes as it is (register, not bind);
// listen: proxy: it binds the private PORT. On SIGTERM (the shutdown hook): stop accepting, answer
// Connection: close for about a second (a keep-alive client's next request gets an answer, then it
// reconnects to another worker), then close what is left and end the event loops.
package example;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

public class NettyWeb {
    public static void main(String[] args) throws Exception {
        var group = new MultiThreadIoEventLoopGroup(EpollIoHandler.newFactory());
        var connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        var stopping = new AtomicBoolean();
        var bootstrap = new ServerBootstrap().group(group).childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                connections.add(ch);
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new Hello(stopping));
            }
        });
        Channel server;
        boolean inherited = "1".equals(System.getenv("LISTEN_FDS"))
                && String.valueOf(ProcessHandle.current().pid()).equals(System.getenv("LISTEN_PID"));
        if (inherited) { // listen: socket: fd 3 is already bound and listening
            server = bootstrap.channelFactory(() -> new EpollServerSocketChannel(3)).register().sync().channel();
        } else { // listen: proxy
            server = bootstrap.channel(EpollServerSocketChannel.class)
                    .bind("127.0.0.1", Integer.parseInt(System.getenv("PORT"))).sync().channel();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            // every step bounded, 4 s in all: well inside kill_timeout (the file gives 10 s: a JVM on a busy
            // machine can be seconds late running its hooks and exiting)
            server.close().awaitUninterruptibly(1000); // the other workers keep taking connections from the queue
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connections.close().awaitUninterruptibly(1000);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(1000);
            System.err.println("stopped: listener closed, " + connections.size() + " connection(s) left");
        }));
        System.out.println("listening on " + server.localAddress());
        server.closeFuture().sync();
    }

    static final class Hello extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final AtomicBoolean stopping;

        Hello(AtomicBoolean stopping) {
            this.stopping = stopping;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            var body = Unpooled.copiedBuffer("netty pid " + ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
            HttpUtil.setContentLength(response, body.readableBytes());
            boolean close = stopping.get() || !HttpUtil.isKeepAlive(request);
            if (close) response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            var written = ctx.writeAndFlush(response);
            if (close) written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
