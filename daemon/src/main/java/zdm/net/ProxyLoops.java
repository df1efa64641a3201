package zdm.net;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The proxy's event loops, shared by every app's {@link PortListener}: one platform thread per core (at most
 * {@link #MAX_LOOPS}), each owning its sockets for their whole life, so a connection's client and worker sides are
 * served by one thread without locks. Netty's native epoll transport where it loads (Linux on x86_64), with
 * {@link EpollKeepRegistered} around it; else, or with {@code -Dzdm.proxy.transport=nio}, its NIO transport (Java's
 * selector). Native epoll costs 8-13% less CPU per request (docs/benchmarks.md). Created on first use, so a daemon
 * without a proxy-mode app starts none. Thread-safe.
 */
final class ProxyLoops {
    /** More loops than cores only add context switches; a few cover any machine the daemon's heap suits. */
    static final int MAX_LOOPS = 4;
    /** Native epoll unless {@code -Dzdm.proxy.transport=nio} asks for NIO (for measurements and as a way out). */
    static final boolean EPOLL = !"nio".equals(System.getProperty("zdm.proxy.transport")) && Epoll.isAvailable();

    static {
        // Netty's default samples one buffer in 128 and records a stack trace for it: a measurable share of the
        // proxy's CPU. Tests turn it on with -Dio.netty.leakDetection.level.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

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
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static Class<? extends SocketChannel> socketChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * Pooled direct buffers with one arena per loop and small chunks: reads and writes go straight to the kernel, and
     * what a burst took is reused rather than collected. Buffers are only held while bytes are in flight.
     */
    static final ByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(true, 0, loops(), 8192, 7, 256, 64, false);

    /** One per core; {@code -Dzdm.proxy.loops=N} overrides it, for measurements only. */
    static int loops() {
        int wanted = Integer.getInteger("zdm.proxy.loops", Runtime.getRuntime().availableProcessors());
        return Math.max(1, Math.min(MAX_LOOPS, wanted));
    }

    private static EventLoopGroup create() {
        IoHandlerFactory io = EPOLL ? EpollKeepRegistered.newFactory() : NioIoHandler.newFactory();
        // Netty's factory makes FastThreadLocalThreads, whose buffer caches the allocator uses; daemon threads.
        return new MultiThreadIoEventLoopGroup(loops(), new DefaultThreadFactory("zdm-proxy-loop", true), io);
    }
}
