package dev.swinserve.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.api.RetryPushback;
import dev.swinserve.format.image.ImageDecodeException;
import dev.swinserve.registry.InvalidNameException;
import dev.swinserve.registry.ModelNotFoundException;
import dev.swinserve.registry.ModelUnavailableException;
import dev.swinserve.server.classify.InvalidInputException;
import dev.swinserve.server.routing.EndpointNotFoundException;
import dev.swinserve.server.routing.InvalidEndpointException;
import dev.swinserve.server.scheduling.DeadlineExpiredException;
import dev.swinserve.server.scheduling.OverloadedException;
import dev.swinserve.server.testing.LogCapture;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class StatusMapperTest {

  @Test
  void mapsEachDomainErrorToItsStatusAndKeepsTheMessage() {
    assertThat(code(new ModelNotFoundException("model 'x' not found")))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(code(new ModelUnavailableException("x@2 is LOADING")))
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(code(new ImageDecodeException("truncated"))).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(new InvalidInputException("no images")))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(new OverloadedException("queue full", java.time.Duration.ofMillis(40))))
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(code(new DeadlineExpiredException("late"))).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(code(new EndpointNotFoundException("e"))).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(code(new InvalidEndpointException("weight -1")))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            StatusMapper.toStatus(new ModelUnavailableException("x@2 is LOADING")).getDescription())
        .isEqualTo("x@2 is LOADING");
  }

  @Test
  void overloadCarriesARetryPushbackTrailer() {
    var exception =
        StatusMapper.toException(
            new OverloadedException("queue full", java.time.Duration.ofMillis(40)));

    assertThat(exception.getTrailers().get(RetryPushback.KEY)).isEqualTo("40");
    assertThat(
            StatusMapper.toRpcStatus(
                    new OverloadedException("queue full", java.time.Duration.ofMillis(40)))
                .getDetailsCount())
        .isEqualTo(1);
  }

  @Test
  void looksThroughFutureWrappersAndNeverAnswersUnknown() {
    assertThat(
            code(
                new CompletionException(
                    new OverloadedException("queue full", java.time.Duration.ofMillis(40)))))
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(code(new IllegalStateException("a bug"))).isEqualTo(Status.Code.INTERNAL);
  }

  @Test
  void aServerFaultIsInternalWithAnErrorIdThatTheLoggedStackCarries() {
    try (LogCapture log = LogCapture.of(StatusMapper.class)) {
      // An IllegalArgumentException is internal misuse, not the caller's fault.
      Status status =
          StatusMapper.toStatus(
              new CompletionException(new IllegalArgumentException("batch size 0")));

      assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
      assertThat(status.getDescription())
          .matches("internal error; error id [0-9a-f]{16}")
          .doesNotContain("batch size");
      String id = status.getDescription().substring(status.getDescription().lastIndexOf(' ') + 1);
      assertThat(log.records())
          .singleElement()
          .satisfies(
              record -> {
                assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
                assertThat(record.getMessage()).contains(id);
                assertThat(record.getThrown()).isInstanceOf(IllegalArgumentException.class);
              });
    }
  }

  @Test
  void aRefusedNameIsTheCallersFault() {
    assertThat(code(new InvalidNameException("'Canary' is not a valid label name")))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void everyDescriptionIsBoundedSoItFitsAnHttp2Header() {
    String huge = "model 'mini' has no label '" + "\u00e9".repeat(100_000) + "'";

    Status status = StatusMapper.toStatus(new ModelNotFoundException(huge));
    com.google.rpc.Status rpcStatus = StatusMapper.toRpcStatus(new InvalidInputException(huge));

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription())
        .startsWith("model 'mini' has no label")
        .contains("characters cut");
    assertThat(status.getDescription().getBytes(StandardCharsets.UTF_8))
        .hasSizeLessThanOrEqualTo(1024);
    assertThat(rpcStatus.getMessage().getBytes(StandardCharsets.UTF_8))
        .hasSizeLessThanOrEqualTo(1024);
    assertThat(StatusMapper.toStatus(new ModelNotFoundException("short")).getDescription())
        .isEqualTo("short");
  }

  @Test
  void streamErrorsUseTheStandardRpcStatus() {
    com.google.rpc.Status status =
        StatusMapper.toRpcStatus(new InvalidInputException("image 2 is empty"));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
    assertThat(status.getMessage()).isEqualTo("image 2 is empty");
  }

  private static Status.Code code(Throwable error) {
    return StatusMapper.toStatus(error).getCode();
  }
}
