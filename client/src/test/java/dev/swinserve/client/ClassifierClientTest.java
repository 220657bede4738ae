package dev.swinserve.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.api.v1.Image;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.client.testing.FakeClassifierStream;
import dev.swinserve.client.testing.FakeServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClassifierClientTest {

  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private final FakeServer server = new FakeServer();
  private final ClassifierClient client = new ClassifierClient(server.channel());

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void classifyReturnsTheServersAnswer() {
    ClassifyResponse response = client.classify(request("only", 7), DEADLINE);

    assertThat(response.getRequestId()).isEqualTo("only");
    assertThat(response.getModel().getName()).isEqualTo("tiny");
    assertThat(response.getClassifications(0).getClasses(0).getLabel()).isEqualTo("bytes-7");
    assertThat(server.classifier().unaryRequests()).containsExactly(request("only", 7));
  }

  @Test
  void classifyThrowsTheServersStatus() {
    server.classifier().failWith(Status.NOT_FOUND.withDescription("no model 'tiny'"));

    assertThatThrownBy(() -> client.classify(request("only", 7), DEADLINE))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).isEqualTo("no model 'tiny'");
        });
  }

  @Test
  void streamDeliversEveryResponseOnceAndNeverExceedsMaxInFlight() throws InterruptedException {
    server.classifier().answerStreamsInGroupsOf(3);
    List<ClassifyRequest> requests = IntStream.range(0, 20).mapToObj(i -> request("r" + i, i + 1)).toList();
    List<String> delivered = new CopyOnWriteArrayList<>();

    client.classifyStream(requests.iterator(), 3, response -> delivered.add(response.getRequestId()), DEADLINE);

    assertThat(delivered).containsExactlyInAnyOrderElementsOf(requests.stream().map(ClassifyRequest::getRequestId).toList());
    assertThat(server.classifier().streams()).hasSize(1);
    FakeClassifierStream stream = server.classifier().streams().get(0);
    assertThat(stream.requests()).containsExactlyElementsOf(requests);
    assertThat(stream.maxOutstanding()).as("pipelined up to the limit, never beyond").isEqualTo(3);
    assertThat(delivered).as("the fake answers out of order").isNotEqualTo(stream.requests().stream()
        .map(ClassifyRequest::getRequestId).toList());
  }

  @Test
  void streamWithNoRequestsEndsCleanly() throws InterruptedException {
    List<ClassifyResponse> delivered = new CopyOnWriteArrayList<>();

    client.classifyStream(List.<ClassifyRequest>of().iterator(), 4, delivered::add, DEADLINE);

    assertThat(delivered).isEmpty();
    assertThat(server.classifier().streams()).hasSize(1);
  }

  @Test
  void streamFailureIsRethrownWithItsStatus() {
    server.classifier().failWith(Status.UNAVAILABLE.withDescription("model still loading"));
    List<ClassifyRequest> requests = List.of(request("a", 1), request("b", 2));

    assertThatThrownBy(() -> client.classifyStream(requests.iterator(), 2, response -> {}, DEADLINE))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).isEqualTo("model still loading");
        });
  }

  @Test
  void consumerFailureCancelsTheStreamAndIsRethrown() {
    List<ClassifyRequest> requests = IntStream.range(0, 6).mapToObj(i -> request("r" + i, i + 1)).toList();
    IllegalStateException broken = new IllegalStateException("disk full");

    assertThatThrownBy(() -> client.classifyStream(requests.iterator(), 2, response -> {
      throw broken;
    }, DEADLINE)).isSameAs(broken);
    assertThat(server.classifier().streams().get(0).requests())
        .as("nothing more is sent after the failure").hasSizeLessThan(requests.size());
  }

  @Test
  void maxInFlightMustBePositive() {
    assertThatThrownBy(() -> client.classifyStream(List.<ClassifyRequest>of().iterator(), 0, response -> {}, DEADLINE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInFlight");
  }

  private static ClassifyRequest request(String id, int imageSize) {
    return ClassifyRequest.newBuilder()
        .setRequestId(id)
        .setModel(ModelSpec.newBuilder().setName("tiny"))
        .addImages(Image.newBuilder().setEncoded(ByteString.copyFrom(new byte[imageSize])))
        .build();
  }
}
