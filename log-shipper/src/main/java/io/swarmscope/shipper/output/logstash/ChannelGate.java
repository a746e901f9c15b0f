package io.swarmscope.shipper.output.logstash;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a sender's channel: discards whatever the peer sends (syslog and JSON-lines
 * receivers send nothing; reading is what makes a peer's close visible at once), remembers why
 * the channel failed, and wakes the sending thread when the channel becomes writable again or
 * closes, so that it never piles more than the write buffer's high-water mark into Netty.
 */
final class ChannelGate extends ChannelInboundHandlerAdapter {

  private volatile Throwable failure;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    wake();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    wake();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    ctx.close();
    wake();
  }

  /** Why the channel failed, if it did ({@code null} for a plain close by the peer). */
  Throwable failure() {
    return failure;
  }

  private synchronized void wake() {
    notifyAll();
  }

  /** Blocks until {@code ch} is writable or closed. */
  synchronized void awaitWritable(Channel ch) throws InterruptedException {
    while (ch.isActive() && !ch.isWritable()) {
      wait(100);
    }
  }
}
