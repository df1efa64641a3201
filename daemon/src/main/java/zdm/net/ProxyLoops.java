package zdm.net;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The proxy's event loops, shared by every app's {@link PortListener}: one platform thread per core (at most
 * {@link #MAX_LOOPS}), each owning its sockets for their whole life, so a connection's client and worker sides are
 * served by one thread without locks. Netty's NIO transport (Java's selector, itself epoll on Linux): its native
 * epoll transport stalled tunnels whose reading was paused and resumed around a half-close (see
 * docs/architecture.md), so it is not used yet. Created on first use, so a daemon without a proxy-mode app starts none. Thread-safe.
 */
final class ProxyLoops {
    /** More loops than cores only add context switches; a few cover any machine the daemon's heap suits. */
    static final int MAX_LOOPS = 4;

    private static volatile EventLoopGroup group;

    private ProxyLoops() {}

    static EventLoopGroup group() {
        var g = group;
        if (g != null) return g;
        synchronized (ProxyLoops.class) {
            if (group == null) group = create();
            return group;
        }
    }

    static Class<? extends ServerChannel> serverChannel() {
        return NioServerSocketChannel.class;
    }

    static Class<? extends SocketChannel> socketChannel() {
        return NioSocketChannel.class;
    }

    /**
     * Pooled direct buffers with one arena per loop and small chunks: reads and writes go straight to the kernel, and
     * what a burst took is reused rather than collected. Buffers are only held while bytes are in flight.
     */
    static final ByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(true, 0, loops(), 8192, 7, 256, 64, false);

    private static int loops() {
        return Math.max(1, Math.min(MAX_LOOPS, Runtime.getRuntime().availableProcessors()));
    }

    private static EventLoopGroup create() {
        // Netty's factory makes FastThreadLocalThreads, whose buffer caches the allocator uses; daemon threads.
        return new MultiThreadIoEventLoopGroup(loops(), new DefaultThreadFactory("zdm-proxy-loop", true),
                NioIoHandler.newFactory());
    }
}
