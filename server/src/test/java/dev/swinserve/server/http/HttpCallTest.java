package dev.swinserve.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.server.grpc.CallFailure;
import io.grpc.Status;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A failed call's HTTP answer: the status of its gRPC code, the JSON error, the pushback. */
class HttpCallTest {

  @Test
  void aShedCallIs429WithRetryAfterInWholeSecondsAndAnsweredOnce() {
    EmbeddedChannel channel = new EmbeddedChannel();
    AtomicInteger answered = new AtomicInteger();
    HttpCall call = new HttpCall(channel, HttpVersion.HTTP_1_1, false, answered::incrementAndGet);

    call.fail(
        new CallFailure(
            Status.RESOURCE_EXHAUSTED.withDescription("queue full"),
            Optional.of(Duration.ofMillis(1500))));
    call.respond(HttpResponseStatus.OK);

    FullHttpResponse response = channel.readOutbound();
    assertThat(response.status()).isEqualTo(HttpResponseStatus.TOO_MANY_REQUESTS);
    assertThat(response.headers().get("Retry-After")).isEqualTo("2");
    assertThat(response.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(response.content().toString(StandardCharsets.UTF_8))
        .isEqualTo("{\"error\":\"queue full\"}");
    assertThat((Object) channel.readOutbound()).as("answered once").isNull();
    assertThat(answered).hasValue(1);
    response.release();
  }

  @Test
  void everyGrpcCodeHasTheStatusTritonAndKServeAnswer() {
    assertThat(HttpStatusMapping.of(Status.Code.INVALID_ARGUMENT).code()).isEqualTo(400);
    assertThat(HttpStatusMapping.of(Status.Code.NOT_FOUND).code()).isEqualTo(404);
    assertThat(HttpStatusMapping.of(Status.Code.RESOURCE_EXHAUSTED).code()).isEqualTo(429);
    assertThat(HttpStatusMapping.of(Status.Code.UNAVAILABLE).code()).isEqualTo(503);
    assertThat(HttpStatusMapping.of(Status.Code.DEADLINE_EXCEEDED).code()).isEqualTo(504);
    assertThat(HttpStatusMapping.of(Status.Code.INTERNAL).code()).isEqualTo(500);
    for (Status.Code code : Status.Code.values()) {
      assertThat(HttpStatusMapping.of(code).code()).isBetween(200, 599);
    }
  }
}
