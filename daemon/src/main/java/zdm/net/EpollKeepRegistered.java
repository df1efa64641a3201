package zdm.net;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.IoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;

/**
 * Netty's native epoll handler with every socket kept in the epoll set while it is registered. Works around a bug of
 * Netty 4.2.18 (the newest 4.2 whose native jar resolves here): when a socket's interest set becomes empty, its
 * registration removes it from the set ({@code EPOLL_CTL_DEL}) but still believes it added, so the next interest
 * ({@code EPOLLOUT} for a write the kernel could not take at once) is an {@code EPOLL_CTL_MOD} that fails with ENOENT.
 * Netty reports that as an unchecked exception, and a failed flush shuts the socket's output: a peer that had
 * half-closed (no {@code EPOLLIN}, no {@code EPOLLRDHUP} left) lost the rest of its reply, about one 8 MiB tunnel in
 * ten. Here an empty interest set is submitted as {@code EPOLLET} alone: the socket stays in the set, and a hang-up is
 * reported once (edge-triggered) rather than on every wait, which is what Netty's removal avoided.
 * <p>
 * Also: no event of a closed socket reaches the socket that took its number. Netty finds a ready socket by its file
 * descriptor alone, and the kernel hands out the lowest free number: a socket closed while one batch of ready events
 * is handled (a worker connection that is dropped) frees its number, a socket opened in the same batch (the next
 * worker connection) gets it, and the closed socket's event later in the batch went to the new one. A connect in
 * progress took it for a read, failed with {@code NotYetConnectedException} and closed (a request waited for its worker
 * connection, then got 503). A socket registered during a batch is therefore deaf to the rest of that batch: nothing
 * in it can be its own, since the batch was read before the socket was added, and its own readiness is reported by
 * the next wait.
 */
final class EpollKeepRegistered implements IoHandler {
    private final IoHandler epoll;
    /** Batches of ready events handled so far, and whether one is being handled now; on the loop only. */
    private long batches;
    private boolean inBatch;

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
        batches++; // one run is one wait and the handling of what it returned
        inBatch = true;
        try {
            return epoll.run(context);
        } finally {
            inBatch = false;
        }
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
        var registered = inBatch && handle instanceof EpollIoHandle socket ? new DeafToItsBatch(this, socket, batches) : handle;
        return new Registration(epoll.register(registered));
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

    /** A socket registered while a batch was handled: events of that batch belong to a closed socket of the same number. */
    private record DeafToItsBatch(EpollKeepRegistered loop, EpollIoHandle socket, long batch) implements EpollIoHandle {
        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            if (loop.inBatch && loop.batches == batch) return;
            socket.handle(registration, event);
        }

        @Override
        public FileDescriptor fd() {
            return socket.fd();
        }

        @Override
        public void registered() {
            socket.registered();
        }

        @Override
        public void unregistered() {
            socket.unregistered();
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
