package zdm.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * The handler of a worker connection: passes every event to the {@link BackendSide} of the client connection that
 * opened it, which tells its connections apart by channel. Shared by the connections one client opens (a retry, a refused connect).
 */
@ChannelHandler.Sharable
final class BackendHandler extends ChannelInboundHandlerAdapter {
    private final BackendSide owner;

    BackendHandler(BackendSide owner) {
        this.owner = owner;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        owner.backendRead(ctx.channel(), (ByteBuf) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        owner.backendReadComplete(ctx.channel());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        owner.backendWritabilityChanged(ctx.channel());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) owner.backendEnded(ctx.channel(), false);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        owner.backendEnded(ctx.channel(), true);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset: channelInactive follows
    }
}
