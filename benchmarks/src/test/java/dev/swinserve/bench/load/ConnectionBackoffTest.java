package dev.swinserve.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectionBackoffTest {

  private final ConnectionBackoff backoff = new ConnectionBackoff();

  @Test
  void connectionFailuresWaitFrom50MillisDoublingTo1Second() {
    long[] waits = new long[7];
    for (int i = 0; i < waits.length; i++) {
      waits[i] = TimeUnit.NANOSECONDS.toMillis(backoff.after(Status.Code.UNAVAILABLE));
    }

    assertThat(waits).containsExactly(50, 100, 200, 400, 800, 1000, 1000);
  }

  @Test
  void anyOtherOutcomeNeitherWaitsNorKeepsTheBackoff() {
    backoff.after(Status.Code.UNAVAILABLE);
    backoff.after(Status.Code.UNAVAILABLE);

    assertThat(backoff.after(Status.Code.OK)).isZero();
    assertThat(backoff.after(Status.Code.RESOURCE_EXHAUSTED)).isZero();
    assertThat(TimeUnit.NANOSECONDS.toMillis(backoff.after(Status.Code.UNAVAILABLE))).isEqualTo(50);
  }
}
