package dev.swinserve.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One connection's requests, handed one at a time to the {@link HttpService} on the worker pool
 * (never run on the event loop): a request pipelined behind one in flight waits for its answer, so
 * answers go out in order. A pool that is full answers 429 at once.
 *
 * <p>Not thread-safe: its state is touched on the connection's event loop only.
 */
final class RequestDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final System.Logger LOG = System.getLogger(RequestDispatcher.class.getName());

  /** Requests a client may pipeline behind the one in flight before it is cut off. */
  private static final int MAX_PIPELINED = 16;

  private final HttpService service;
  private final Executor workers;
  private final ManagedHttpServer.InFlight inFlight;
  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
  private boolean busy;

  RequestDispatcher(HttpService service, Executor workers, ManagedHttpServer.InFlight inFlight) {
    super(false); // released after the service has read it
    this.service = service;
    this.workers = workers;
    this.inFlight = inFlight;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
    if (!busy) {
      start(context, request);
    } else if (waiting.size() < MAX_PIPELINED) {
      waiting.add(request);
    } else {
      request.release();
      context.close();
    }
  }

  private void start(ChannelHandlerContext context, FullHttpRequest request) {
    busy = true;
    inFlight.begin();
    HttpCall call =
        new HttpCall(
            context.channel(),
            request.protocolVersion(),
            inFlight.draining() || request.decoderResult().isFailure(),
            () -> {
              inFlight.end();
              context.executor().execute(() -> next(context));
            });
    if (request.decoderResult().isFailure()) {
      request.release();
      call.fail(
          HttpResponseStatus.BAD_REQUEST,
          "malformed HTTP request: " + request.decoderResult().cause().getMessage(),
          Map.of());
      return;
    }
    try {
      workers.execute(() -> handle(request, call));
    } catch (RejectedExecutionException e) {
      request.release();
      call.fail(
          HttpResponseStatus.TOO_MANY_REQUESTS,
          "the server is overloaded: too many HTTP requests waiting",
          Map.of("Retry-After", "1"));
    }
  }

  private void handle(FullHttpRequest request, HttpCall call) {
    try {
      service.handle(request, call);
    } catch (RuntimeException e) {
      // The service maps its failures itself; one that escapes is a bug, answered as one.
      LOG.log(System.Logger.Level.ERROR, "an HTTP request's service failed", e);
      call.fail(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error", Map.of());
    } finally {
      request.release();
    }
  }

  private void next(ChannelHandlerContext context) {
    busy = false;
    FullHttpRequest request = waiting.poll();
    if (request != null) {
      start(context, request);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) throws Exception {
    waiting.forEach(FullHttpRequest::release);
    waiting.clear();
    super.channelInactive(context);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    context.close();
  }
}
