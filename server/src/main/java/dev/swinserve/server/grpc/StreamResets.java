package dev.swinserve.server.grpc;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Lets a call reset its own HTTP/2 stream (RST_STREAM), which grpc-java offers applications no
 * direct way to do: {@code ServerCall.close} only queues trailers, and those wait behind every
 * response that the client's flow-control window holds back, for as long as the client reads
 * nothing. grpc-java does reset the stream of a call whose context ends with a timeout (its
 * deadline handling), but hides the call's cancellable context from the application. So this tracer
 * puts a cancellable context of its own under every call's context; cancelling it with a timeout
 * cancels the call's context, and grpc-java sends RST_STREAM and frees the stream. Install it on
 * the server builder; thread-safe.
 */
public final class StreamResets extends ServerStreamTracer.Factory {

  private static final Context.Key<Reset> KEY = Context.key("swinserve-stream-reset");

  @Override
  public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
    return new ServerStreamTracer() {
      @Override
      public Context filterContext(Context context) {
        Reset reset = new Reset();
        reset.context = context.withValue(KEY, reset).withCancellation();
        return reset.context;
      }
    };
  }

  /**
   * The reset of the call whose context is current (call it from the call's handler), or empty if
   * the server was built without this tracer.
   */
  static Optional<Reset> current() {
    return Optional.ofNullable(KEY.get());
  }

  /** Resets one call's stream. Thread-safe; resetting twice, or an ended call, does nothing. */
  static final class Reset {

    private volatile Context.CancellableContext context;

    /**
     * Sends RST_STREAM (CANCEL): the client sees CANCELLED, the server's call ends as cancelled.
     */
    void reset(String why) {
      context.cancel(new TimeoutException(why));
    }
  }
}
