package zdm.net;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;

/**
 * Netty's native epoll handler with every socket kept in the epoll set while it is registered. Works around a bug of
 * Netty 4.2.18 (the newest 4.2 whose native jar resolves here): when a socket's interest set becomes empty, its
 * registration removes it from the set ({@code EPOLL_CTL_DEL}) but still believes it added, so the next interest
 * ({@code EPOLLOUT} for a write the kernel could not take at once) is an {@code EPOLL_CTL_MOD} that fails with ENOENT.
 * Netty reports that as an unchecked exception, and a failed flush shuts the socket's output: a peer that had
 * half-closed (no {@code EPOLLIN}, no {@code EPOLLRDHUP} left) lost the rest of its reply, about one 8 MiB tunnel in
 * ten. Here an empty interest set is submitted as {@code EPOLLET} alone: the socket stays in the set, and a hang-up is
 * reported once (edge-triggered) rather than on every wait, which is what Netty's removal avoided.
 */
final class EpollKeepRegistered implements IoHandler {
    private final IoHandler epoll;

    private EpollKeepRegistered(IoHandler epoll) {
        this.epoll = epoll;
    }

    static IoHandlerFactory newFactory() {
        IoHandlerFactory epoll = EpollIoHandler.newFactory();
        return executor -> new EpollKeepRegistered(epoll.newHandler(executor));
    }

    @Override
    public void initialize() {
        epoll.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
        return epoll.run(context);
    }

    @Override
    public void prepareToDestroy() {
        epoll.prepareToDestroy();
    }

    @Override
    public void destroy() {
        epoll.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return new Registration(epoll.register(handle));
    }

    @Override
    public void wakeup() {
        epoll.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return epoll.isCompatible(handleType);
    }

    /** Passes everything on, except that no interest becomes "edge-triggered, no interest". */
    private record Registration(IoRegistration epoll) implements IoRegistration {
        @Override
        public <T> T attachment() {
            return epoll.attachment();
        }

        @Override
        public long submit(IoOps ops) {
            boolean none = ops instanceof EpollIoOps e && e.value() == EpollIoOps.NONE.value();
            return epoll.submit(none ? EpollIoOps.EPOLLET : ops);
        }

        @Override
        public boolean isValid() {
            return epoll.isValid();
        }

        @Override
        public boolean cancel() {
            return epoll.cancel();
        }
    }
}
