package dev.swinserve.server.http;

import io.netty.handler.codec.http.FullHttpRequest;

/**
 * What answers the requests of the {@link ManagedHttpServer}: a protocol's routes (the Open
 * Inference Protocol's {@code /v2/...}). Called on the server's worker threads, never on a
 * connection's event loop, one request of a connection at a time.
 */
public interface HttpService {

  /**
   * Answers {@code request} through {@code call}, now or later from any thread, exactly once.
   *
   * @param request released when this returns: read the body before, keep no reference to it
   */
  void handle(FullHttpRequest request, HttpCall call);
}
