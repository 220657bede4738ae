package dev.swinserve.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.swinserve.api.v1.UnansweredRequests;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnansweredStatusTest {

  private static final Status SHUTTING_DOWN = Status.UNAVAILABLE.withDescription("shutting down");

  @Test
  void withNothingUnansweredTheStatusHasNoDetails() {
    StatusRuntimeException status = UnansweredStatus.withUnanswered(SHUTTING_DOWN, List.of());

    assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(StatusProto.fromThrowable(status).getDetailsList()).isEmpty();
  }

  @Test
  void listsTheUnansweredIdsInTheOrderReadWithCodeAndMessage()
      throws InvalidProtocolBufferException {
    StatusRuntimeException status =
        UnansweredStatus.withUnanswered(SHUTTING_DOWN, List.of("b", "a", "c"));

    assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getStatus().getDescription()).isEqualTo("shutting down");
    UnansweredRequests unanswered = details(status);
    assertThat(unanswered.getRequestIdsList()).containsExactly("b", "a", "c");
    assertThat(unanswered.getNotListed()).isZero();
  }

  @Test
  void listsAtMostFourKilobytesOfIdsAndCountsTheRest() throws InvalidProtocolBufferException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ids.add(String.format("%0100d", i));
    }

    UnansweredRequests unanswered = details(UnansweredStatus.withUnanswered(SHUTTING_DOWN, ids));

    assertThat(unanswered.getRequestIdsCount()).isEqualTo(UnansweredStatus.MAX_LISTED_BYTES / 100);
    assertThat(unanswered.getRequestIdsCount() + unanswered.getNotListed()).isEqualTo(100);
  }

  private static UnansweredRequests details(StatusRuntimeException status)
      throws InvalidProtocolBufferException {
    com.google.rpc.Status proto = StatusProto.fromThrowable(status);
    assertThat(proto).isNotNull();
    assertThat(proto.getDetailsCount()).isEqualTo(1);
    return proto.getDetails(0).unpack(UnansweredRequests.class);
  }
}
