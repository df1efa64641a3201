package zdm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The proxy's epoll handler with real sockets, one loop, and the loop held while the kernel makes sockets ready, so
 * that one batch of ready events holds what a busy proxy sees by chance.
 */
@Timeout(60)
class EpollKeepRegisteredTest {
    /** Records what reaches a socket's handler. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }
    }

    /**
     * Socket B's event closes socket A and connects socket C, which the kernel gives A's number; A's own event, later in
     * the same batch, used to reach C: a read on a connect in progress, {@code NotYetConnectedException}, and a proxy
     * closed C and answered 503 (seen as {@code StacklessClosedChannelException} on the connect).
     */
    @Test
    void anEventOfAClosedSocketDoesNotReachTheSocketThatTookItsNumberInTheSameBatch() throws Exception {
        assumeTrue(Epoll.isAvailable(), "native epoll does not load here");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollKeepRegistered.newFactory());
        try (var server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(Loopback.IPV4, 0));
            var address = (InetSocketAddress) server.getLocalAddress();
            int numberTaken = 0;
            for (int round = 0; round < 20 && numberTaken < 3; round++) {
                if (oneRound(group, server, address)) numberTaken++;
            }
            assumeTrue(numberTaken > 0, "the kernel never gave the closed socket's number to the new one");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** @return whether C got A's number (else the round shows nothing) */
    private static boolean oneRound(EventLoopGroup group, ServerSocketChannel server, InetSocketAddress address)
            throws Exception {
        var c = new Recorder();
        var cConnect = new CompletableFuture<ChannelFuture>();
        var numbers = new int[2]; // A's, C's
        var a = connect(group, address, new Recorder());
        var b = connect(group, address, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                numbers[0] = ((EpollSocketChannel) a).fd().intValue();
                a.close();
                var connect = new Bootstrap().group(group).channel(EpollSocketChannel.class).handler(c).connect(address);
                numbers[1] = ((EpollSocketChannel) connect.channel()).fd().intValue();
                cConnect.complete(connect);
            }
        });
        try (var peerA = server.accept(); var peerB = server.accept()) {
            var release = new CountDownLatch(1);
            var held = new CountDownLatch(1);
            group.next().execute(() -> {
                held.countDown();
                awaitUninterruptibly(release);
            });
            assertTrue(held.await(10, TimeUnit.SECONDS), "the loop was held");
            peerB.write(ByteBuffer.wrap(new byte[] {'b'})); // B is ready first, then A: one batch, in this order
            peerA.write(ByteBuffer.wrap(new byte[] {'a'}));
            release.countDown();

            var connect = cConnect.get(10, TimeUnit.SECONDS);
            assertTrue(connect.await(10, TimeUnit.SECONDS), "C's connect ended");
            try (SocketChannel ignored = server.accept()) {
                assertEquals(List.of(), c.errors, "what reached C");
                assertTrue(connect.isSuccess(), () -> "C's connect failed: " + connect.cause());
                assertTrue(connect.channel().isActive(), "C is connected");
            } finally {
                connect.channel().close().sync();
                b.close().sync();
            }
        }
        return numbers[0] == numbers[1];
    }

    private static Channel connect(EventLoopGroup group, InetSocketAddress address, ChannelInboundHandlerAdapter handler)
            throws InterruptedException {
        return new Bootstrap().group(group).channel(EpollSocketChannel.class).handler(handler).connect(address).sync().channel();
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
