package dev.swinserve.server.grpc;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.api.v1.GetMetricsRequest;
import dev.swinserve.api.v1.MetricsServiceGrpc;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.InProcessServer;
import dev.swinserve.server.testing.RecordedStream;
import dev.swinserve.server.testing.Requests;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both front doors take the one call pipeline: a request gets the same code and message through
 * either, and every call is recorded once, in the series of the method it came in by.
 */
class CallPipelineTest {

  @TempDir static Path repository;
  private static InProcessServer server;

  @BeforeAll
  static void startServer() throws IOException {
    FixtureRepository.add(repository, "mini", 1, MINI);
    server = InProcessServer.start(repository);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void bothFrontDoorsAnswerMapAndRecordEveryCallAlikeAndOnce() {
    float[] image = FixtureRepository.reference(MINI).image(0);
    List<ClassifyRequest> requests =
        List.of(
            Requests.to("mini")
                .setRequestId("answered")
                .addImages(Requests.pixels(64, image))
                .build(),
            // refused while mapping, before the call reaches the classification service
            Requests.to("mini")
                .setRequestId("negative-top-k")
                .setTopK(-1)
                .addImages(Requests.pixels(64, image))
                .build(),
            // refused by the classification service
            Requests.to("mini")
                .setRequestId("undecodable")
                .addImages(Requests.encoded(new byte[] {1, 2, 3}))
                .build(),
            Requests.to("missing")
                .setRequestId("missing")
                .addImages(Requests.pixels(64, image))
                .build());

    Map<String, Status> unary =
        requests.stream()
            .collect(
                Collectors.toMap(ClassifyRequest::getRequestId, CallPipelineTest::unaryStatus));
    Map<String, Status> stream = streamStatuses(requests);

    assertThat(unary.get("answered").getCode()).isEqualTo(Status.Code.OK);
    assertThat(unary.get("negative-top-k").getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(unary.get("undecodable").getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(unary.get("missing").getCode()).isEqualTo(Status.Code.NOT_FOUND);
    for (ClassifyRequest request : requests) {
      String id = request.getRequestId();
      assertThat(stream.get(id).getCode())
          .as("code of %s on the stream", id)
          .isEqualTo(unary.get(id).getCode());
      assertThat(stream.get(id).getDescription())
          .as("message of %s on the stream", id)
          .isEqualTo(unary.get(id).getDescription());
    }
    Map<String, Long> expected =
        Map.of("mini@1 OK", 1L, "mini@0 INVALID_ARGUMENT", 2L, "<unknown>@0 NOT_FOUND", 1L);
    assertThat(requestLatencyCounts("Classify")).isEqualTo(expected);
    assertThat(requestLatencyCounts("ClassifyStream")).isEqualTo(expected);
  }

  private static Status unaryStatus(ClassifyRequest request) {
    try {
      ClassifierGrpc.newBlockingStub(server.channel()).classify(request);
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  /** Each request's status on one stream: OK for an answer, else the error response's. */
  private static Map<String, Status> streamStatuses(List<ClassifyRequest> requests) {
    RecordedStream stream = new RecordedStream();
    StreamObserver<ClassifyRequest> sent =
        ClassifierGrpc.newStub(server.channel()).classifyStream(stream);
    requests.forEach(sent::onNext);
    sent.onCompleted();
    assertThat(stream.end()).succeedsWithin(Duration.ofSeconds(30));
    return stream.responses().stream()
        .collect(
            Collectors.toMap(
                ClassifyResponse::getRequestId,
                response ->
                    response.hasError()
                        ? Status.fromCodeValue(response.getError().getCode())
                            .withDescription(response.getError().getMessage())
                        : Status.OK));
  }

  /** {@code request_latency} counts of {@code method}, by {@code "model@version STATUS"}. */
  private static Map<String, Long> requestLatencyCounts(String method) {
    return MetricsServiceGrpc.newBlockingStub(server.channel())
        .getMetrics(GetMetricsRequest.getDefaultInstance())
        .getDistributionsList()
        .stream()
        .filter(
            series ->
                series.getName().equals("request_latency")
                    && method.equals(series.getLabelsMap().get("method")))
        .collect(
            Collectors.toMap(
                series ->
                    series.getLabelsMap().get("model")
                        + "@"
                        + series.getLabelsMap().get("version")
                        + " "
                        + series.getLabelsMap().get("status"),
                series -> series.getCount()));
  }
}
