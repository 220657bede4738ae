package dev.swinserve.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.RetryInfo;
import dev.swinserve.api.RetryPushback;
import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A mapped failure reads the same as a call's end and as a stream's error answer. */
class CallFailureTest {

  @Test
  void aShedCallAsksForTheSameWaitInTheTrailerAndInRetryInfo() throws Exception {
    CallFailure shed =
        new CallFailure(
            Status.RESOURCE_EXHAUSTED.withDescription("queue full"),
            Optional.of(Duration.ofMillis(1500)));

    assertThat(RetryPushback.read(shed.asException().getTrailers()))
        .contains(Duration.ofMillis(1500));
    com.google.rpc.Status answer = shed.asRpcStatus();
    assertThat(answer.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
    assertThat(answer.getMessage()).isEqualTo("queue full");
    assertThat(answer.getDetailsCount()).isEqualTo(1);
    com.google.protobuf.Duration delay =
        answer.getDetails(0).unpack(RetryInfo.class).getRetryDelay();
    assertThat(delay.getSeconds()).isEqualTo(1);
    assertThat(delay.getNanos()).isEqualTo(500_000_000);
  }

  @Test
  void anyOtherFailureCarriesNoWait() {
    CallFailure notFound =
        new CallFailure(Status.NOT_FOUND.withDescription("no model 'x'"), Optional.empty());

    assertThat(RetryPushback.isPresent(notFound.asException().getTrailers())).isFalse();
    assertThat(notFound.asException().getStatus().getDescription()).isEqualTo("no model 'x'");
    assertThat(notFound.asRpcStatus().getDetailsCount()).isZero();
    assertThat(notFound.code()).isEqualTo(Status.Code.NOT_FOUND);
  }
}
