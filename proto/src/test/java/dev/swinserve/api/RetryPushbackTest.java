package dev.swinserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPushbackTest {

  @Test
  void theTrailerIsGrpcsOwnPushbackKeyInWholeMilliseconds() {
    Metadata trailers = RetryPushback.trailers(Duration.ofNanos(40_900_000));

    assertThat(RetryPushback.KEY.name()).isEqualTo("grpc-retry-pushback-ms");
    assertThat(trailers.get(RetryPushback.KEY)).isEqualTo("40");
    assertThat(RetryPushback.read(trailers)).contains(Duration.ofMillis(40));
  }

  @Test
  void aNegativePushbackIsReadAsItIsSent() {
    assertThat(RetryPushback.read(RetryPushback.trailers(Duration.ofMillis(-1))))
        .contains(Duration.ofMillis(-1));
  }

  @Test
  void aMalformedPushbackIsPresentButReadsAsNone() {
    Metadata trailers = new Metadata();
    trailers.put(RetryPushback.KEY, "soon");

    assertThat(RetryPushback.isPresent(trailers)).isTrue();
    assertThat(RetryPushback.read(trailers)).isEmpty();
  }

  @Test
  void spacesAroundTheNumberAreAllowed() {
    Metadata trailers = new Metadata();
    trailers.put(RetryPushback.KEY, " 250 ");

    assertThat(RetryPushback.read(trailers)).contains(Duration.ofMillis(250));
  }

  @Test
  void noTrailersMeanNoPushback() {
    assertThat(RetryPushback.isPresent(null)).isFalse();
    assertThat(RetryPushback.read(null)).isEmpty();
    assertThat(RetryPushback.isPresent(new Metadata())).isFalse();
    assertThat(RetryPushback.read(new Metadata())).isEmpty();
  }
}
