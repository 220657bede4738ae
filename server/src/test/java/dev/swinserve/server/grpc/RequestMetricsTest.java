package dev.swinserve.server.grpc;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.swinserve.api.v1.Arm;
import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.DeleteEndpointRequest;
import dev.swinserve.api.v1.Endpoint;
import dev.swinserve.api.v1.GetMetricsRequest;
import dev.swinserve.api.v1.GetMetricsResponse;
import dev.swinserve.api.v1.MetricsServiceGrpc;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.ReloadRepositoryRequest;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.InProcessServer;
import dev.swinserve.server.testing.RecordedStream;
import dev.swinserve.server.testing.Requests;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request metrics stay bounded whatever names callers send. */
class RequestMetricsTest {

  private static final int PROBES = 3_000;

  @TempDir static Path repository;
  private static InProcessServer server;

  @BeforeAll
  static void startServer() throws IOException {
    FixtureRepository.add(repository, "mini", 1, MINI);
    FixtureRepository.add(repository, "retiring", 1, MINI);
    server = InProcessServer.start(repository);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void thousandsOfUnknownModelNamesShareOneSeriesAndMetricsStaySmall() throws Exception {
    ClassifierGrpc.ClassifierBlockingStub classifier =
        ClassifierGrpc.newBlockingStub(server.channel());
    FixtureRepository.Reference reference = FixtureRepository.reference(MINI);
    classifier.classify(
        Requests.to("mini").addImages(Requests.pixels(64, reference.image(0))).build());
    probe(classifier, 0, 10);
    probeOnAStream(0, 10);
    GetMetricsResponse before = metrics();

    probe(classifier, 10, PROBES);
    probeOnAStream(PROBES, 2 * PROBES);
    GetMetricsResponse after = metrics();

    assertThat(after.getDistributionsCount())
        .as("series after %d more unknown names", 2 * PROBES)
        .isEqualTo(before.getDistributionsCount());
    assertThat(after.getGaugesCount()).isEqualTo(before.getGaugesCount());
    assertThat(after.getSerializedSize()).as("GetMetrics bytes").isLessThan(32 * 1024);
    assertThat(after.getDistributionsList())
        .allSatisfy(
            series ->
                assertThat(series.getLabelsMap().values())
                    .noneMatch(value -> value.startsWith("probe-")));
    assertThat(after.getDistributionsList())
        .anySatisfy(
            series -> {
              assertThat(series.getName()).isEqualTo("request_latency");
              assertThat(series.getLabelsMap())
                  .containsEntry("model", "<unknown>")
                  .containsEntry("status", "NOT_FOUND")
                  .containsEntry("method", "Classify");
              assertThat(series.getCount()).isGreaterThanOrEqualTo(PROBES);
            });
    assertThat(after.getDistributionsList())
        .anySatisfy(
            series -> {
              assertThat(series.getName()).isEqualTo("request_latency");
              assertThat(series.getLabelsMap())
                  .containsEntry("model", "mini")
                  .containsEntry("version", "1")
                  .containsEntry("status", "OK");
            });
  }

  @Test
  void anUnloadedVersionsSeriesAreDropped() throws Exception {
    FixtureRepository.Reference reference = FixtureRepository.reference(MINI);
    ClassifierGrpc.newBlockingStub(server.channel())
        .classify(
            Requests.to("retiring").addImages(Requests.pixels(64, reference.image(0))).build());
    assertThat(seriesOf("retiring", "1")).as("series of retiring@1 while it serves").isPositive();

    FixtureRepository.add(repository, "retiring", 2, MINI); // the policy serves the latest one only
    ModelServiceGrpc.newBlockingStub(server.channel())
        .reloadRepository(ReloadRepositoryRequest.getDefaultInstance());

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(seriesOf("retiring", "1"))
                    .as("series of retiring@1 once it is unloaded")
                    .isZero());
  }

  @Test
  void aDeletedEndpointsSeriesAreDropped() {
    var models = ModelServiceGrpc.newBlockingStub(server.channel());
    models.setEndpoint(
        Endpoint.newBuilder()
            .setName("short-lived")
            .addArms(
                Arm.newBuilder()
                    .setModel(ModelSpec.newBuilder().setName("mini").setVersion(1))
                    .setWeight(1))
            .build());
    ClassifierGrpc.newBlockingStub(server.channel())
        .classify(
            Requests.to("short-lived")
                .addImages(Requests.pixels(64, FixtureRepository.reference(MINI).image(0)))
                .build());
    assertThat(metrics().getDistributionsList())
        .anySatisfy(
            series -> assertThat(series.getLabelsMap()).containsEntry("endpoint", "short-lived"));

    models.deleteEndpoint(DeleteEndpointRequest.newBuilder().setName("short-lived").build());

    assertThat(metrics().getDistributionsList())
        .noneSatisfy(
            series -> assertThat(series.getLabelsMap()).containsEntry("endpoint", "short-lived"));
  }

  private static long seriesOf(String model, String version) {
    GetMetricsResponse metrics = metrics();
    return metrics.getDistributionsList().stream()
            .map(series -> series.getLabelsMap())
            .filter(
                labels ->
                    model.equals(labels.get("model")) && version.equals(labels.get("version")))
            .count()
        + metrics.getGaugesList().stream()
            .map(gauge -> gauge.getLabelsMap())
            .filter(
                labels ->
                    model.equals(labels.get("model")) && version.equals(labels.get("version")))
            .count();
  }

  private static void probe(ClassifierGrpc.ClassifierBlockingStub classifier, int from, int to) {
    for (int i = from; i < to; i++) {
      ClassifyRequest request =
          Requests.to(name(i)).addImages(Requests.pixels(64, new float[64 * 64 * 3])).build();
      assertThatThrownBy(() -> classifier.classify(request))
          .isInstanceOf(StatusRuntimeException.class);
    }
  }

  private static void probeOnAStream(int from, int to) throws InterruptedException {
    RecordedStream stream = new RecordedStream();
    StreamObserver<ClassifyRequest> requests =
        ClassifierGrpc.newStub(server.channel()).classifyStream(stream);
    for (int i = from; i < to; i++) {
      requests.onNext(
          Requests.to(name(i))
              .setRequestId("r" + i)
              .addImages(Requests.pixels(64, new float[64 * 64 * 3]))
              .build());
    }
    requests.onCompleted();
    assertThat(stream.end()).succeedsWithin(Duration.ofSeconds(60));
    assertThat(stream.responses()).hasSize(to - from);
  }

  /** A distinct, long, unknown model name, as a prober would send. */
  private static String name(int i) {
    return ("probe-" + i + "-").concat("y".repeat(100));
  }

  private static GetMetricsResponse metrics() {
    return MetricsServiceGrpc.newBlockingStub(server.channel())
        .getMetrics(GetMetricsRequest.getDefaultInstance());
  }
}
