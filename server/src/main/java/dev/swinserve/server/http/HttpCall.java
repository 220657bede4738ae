package dev.swinserve.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swinserve.server.grpc.CallFailure;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSession;

/**
 * One HTTP request's answer, written once from whatever thread has it. Until it is written the
 * connection reads no further request (HTTP/1.1 answers in order); a connection that closes
 * meanwhile {@link #cancelled() cancels} the call.
 *
 * <p>Thread-safe: the first response wins, later ones are dropped.
 */
public final class HttpCall {

  /** Jackson's mapper is thread-safe once configured. */
  static final ObjectMapper JSON = new ObjectMapper();

  public static final String APPLICATION_JSON = "application/json";

  private final Channel channel;
  private final HttpVersion version;
  private final boolean closeAfter;
  private final Runnable answered;
  private final AtomicBoolean responded = new AtomicBoolean();

  /**
   * @param closeAfter answer with {@code Connection: close} (the server is draining)
   * @param answered runs once the response is written or could not be
   */
  HttpCall(Channel channel, HttpVersion version, boolean closeAfter, Runnable answered) {
    this.channel = channel;
    this.version = version;
    this.closeAfter = closeAfter;
    this.answered = answered;
  }

  /** The TLS session of the connection, when it speaks TLS. */
  public Optional<SSLSession> tlsSession() {
    SslHandler tls = channel.pipeline().get(SslHandler.class);
    return tls == null ? Optional.empty() : Optional.of(tls.engine().getSession());
  }

  /** True once the client has closed the connection: nobody will read the answer. */
  public boolean cancelled() {
    return !channel.isActive();
  }

  /** Answers {@code status} with {@code body} (which may be empty) and {@code headers}. */
  public void respond(
      HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
    if (!responded.compareAndSet(false, true)) {
      return;
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(version, status, Unpooled.wrappedBuffer(body));
    if (body.length > 0) {
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    headers.forEach((name, value) -> response.headers().set(name, value));
    HttpUtil.setContentLength(response, body.length);
    if (closeAfter) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    channel.writeAndFlush(response).addListener(written -> answered.run());
  }

  /** Answers {@code status} with no body: the readiness routes' answer. */
  public void respond(HttpResponseStatus status) {
    respond(status, APPLICATION_JSON, new byte[0], Map.of());
  }

  /** Answers {@code status} with {@code value} as JSON. */
  public void respondJson(HttpResponseStatus status, Object value) {
    respond(status, APPLICATION_JSON, json(value), Map.of());
  }

  /** Answers {@code {"error": message}}, as Triton's HTTP server does. */
  public void fail(HttpResponseStatus status, String message, Map<String, String> headers) {
    respond(status, APPLICATION_JSON, json(Map.of("error", message)), headers);
  }

  /**
   * Answers a failed call as its gRPC status maps ({@link HttpStatusMapping}), with {@code
   * Retry-After} (whole seconds, at least 1) when the server shed it.
   */
  public void fail(CallFailure failure) {
    Map<String, String> headers =
        failure
            .retryAfter()
            .map(
                wait ->
                    Map.of(
                        "Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000))))
            .orElse(Map.of());
    String description = failure.status().getDescription();
    fail(
        HttpStatusMapping.of(failure.code()),
        description == null ? failure.code().name() : description,
        headers);
  }

  static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
