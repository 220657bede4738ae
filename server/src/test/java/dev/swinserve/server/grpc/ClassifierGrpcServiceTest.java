package dev.swinserve.server.grpc;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.primitives.Floats;
import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.format.testing.Fixtures;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.InProcessServer;
import dev.swinserve.server.testing.RecordedStream;
import dev.swinserve.server.testing.Requests;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Classifier service in-process, on real SavedModels made from the fixtures. */
class ClassifierGrpcServiceTest {

  @TempDir static Path repository;
  private static InProcessServer server;
  private static ClassifierGrpc.ClassifierBlockingStub classifier;

  @BeforeAll
  static void startServer() throws IOException {
    FixtureRepository.addTwoVersionsWithStableLabel(repository, "mini", MINI);
    server = InProcessServer.start(repository);
    classifier = ClassifierGrpc.newBlockingStub(server.channel());
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void pixelsReproduceTheReferenceLogits() {
    FixtureRepository.Reference reference = FixtureRepository.reference(MINI);
    ClassifyRequest.Builder request =
        Requests.to("mini").setIncludeLogits(true).setRequestId("parity");
    for (int i = 0; i < reference.count(); i++) {
      request.addImages(Requests.pixels(reference.side(), reference.image(i)));
    }

    ClassifyResponse response = classifier.classify(request.build());

    assertThat(response.getRequestId()).isEqualTo("parity");
    assertThat(response.getClassificationsCount()).isEqualTo(reference.count());
    for (int i = 0; i < reference.count(); i++) {
      float[] logits = Floats.toArray(response.getClassifications(i).getLogitsList());
      assertThat(FixtureRepository.relativeError(logits, reference.logitsOf(i)))
          .isLessThanOrEqualTo(1e-4);
    }
  }

  @Test
  void answersWithTheDefaultVersionLabelledStableAndTopFiveBestFirst() throws IOException {
    ClassifyResponse response =
        classifier.classify(
            Requests.to("mini")
                .addImages(Requests.encoded(Files.readAllBytes(Fixtures.image("chelsea.png"))))
                .build());

    assertThat(response.getModel().getName()).isEqualTo("mini");
    assertThat(response.getModel().getVersion()).as("stable is 1, though 2 is newer").isEqualTo(1);
    var classes = response.getClassifications(0).getClassesList();
    assertThat(classes).hasSize(5);
    for (int i = 1; i < classes.size(); i++) {
      assertThat(classes.get(i).getScore()).isLessThanOrEqualTo(classes.get(i - 1).getScore());
    }
    assertThat(classes.get(0).getLabel()).isEqualTo("class_" + classes.get(0).getIndex());
  }

  @Test
  void versionAndLabelSelectTheVersion() {
    FixtureRepository.Reference reference = FixtureRepository.reference(MINI);
    var image = Requests.pixels(reference.side(), reference.image(0));

    ClassifyResponse byVersion =
        classifier.classify(
            ClassifyRequest.newBuilder()
                .setModel(ModelSpec.newBuilder().setName("mini").setVersion(2))
                .addImages(image)
                .setTopK(3)
                .build());
    ClassifyResponse byLabel =
        classifier.classify(
            ClassifyRequest.newBuilder()
                .setModel(ModelSpec.newBuilder().setName("mini").setLabel("stable"))
                .addImages(image)
                .build());

    assertThat(byVersion.getModel().getVersion()).isEqualTo(2);
    assertThat(byVersion.getClassifications(0).getClassesCount()).isEqualTo(3);
    assertThat(byLabel.getModel().getVersion()).isEqualTo(1);
  }

  @Test
  void badRequestsGetTheirStatusAndAMessageThatSaysWhat() throws IOException {
    FixtureRepository.Reference reference = FixtureRepository.reference(MINI);
    byte[] jpeg = Files.readAllBytes(Fixtures.image("rocket.jpg"));

    assertStatus(
        Requests.to("nope").addImages(Requests.pixels(64, reference.image(0))),
        Status.Code.NOT_FOUND,
        "nope");
    assertStatus(
        ClassifyRequest.newBuilder()
            .setModel(ModelSpec.newBuilder().setName("mini").setVersion(9))
            .addImages(Requests.pixels(64, reference.image(0))),
        Status.Code.NOT_FOUND,
        "9");
    assertStatus(
        ClassifyRequest.newBuilder()
            .setModel(ModelSpec.newBuilder().setName("mini").setLabel("gold"))
            .addImages(Requests.pixels(64, reference.image(0))),
        Status.Code.NOT_FOUND,
        "gold");
    assertStatus(
        Requests.to("mini").addImages(Requests.encoded(new byte[0])),
        Status.Code.INVALID_ARGUMENT,
        "empty");
    assertStatus(
        Requests.to("mini").addImages(Requests.encoded(Arrays.copyOf(jpeg, jpeg.length / 3))),
        Status.Code.INVALID_ARGUMENT,
        "image 0");
    assertStatus(
        Requests.to("mini").addImages(Requests.pixels(32, new float[32 * 32 * 3])),
        Status.Code.INVALID_ARGUMENT,
        "[32, 32, 3]");
    assertStatus(Requests.to("mini"), Status.Code.INVALID_ARGUMENT, "no images");
    assertStatus(
        ClassifyRequest.newBuilder().addImages(Requests.pixels(64, reference.image(0))),
        Status.Code.INVALID_ARGUMENT,
        "model.name");
  }

  @Test
  void aCallWhoseDeadlineHasPassedIsNotComputed() {
    FixtureRepository.Reference reference = FixtureRepository.reference(MINI);

    assertThatThrownBy(
            () ->
                classifier
                    .withDeadlineAfter(1, TimeUnit.NANOSECONDS)
                    .classify(
                        Requests.to("mini")
                            .addImages(Requests.pixels(64, reference.image(0)))
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  @Test
  void aBadRequestOnAStreamGetsAnErrorResponseAndTheStreamGoesOn() throws Exception {
    FixtureRepository.Reference reference = FixtureRepository.reference(MINI);
    RecordedStream stream = new RecordedStream();
    List<ClassifyResponse> responses = stream.responses();
    StreamObserver<ClassifyRequest> requests =
        ClassifierGrpc.newStub(server.channel()).classifyStream(stream);
    for (int i = 0; i < 20; i++) {
      ClassifyRequest.Builder request = Requests.to("mini").setRequestId("r" + i);
      request.addImages(
          i == 7
              ? Requests.encoded(new byte[] {1, 2, 3})
              : Requests.pixels(64, reference.image(i % 3)));
      requests.onNext(request.build());
    }
    requests.onCompleted();

    assertThat(stream.end()).succeedsWithin(Duration.ofSeconds(30));
    assertThat(responses).hasSize(20);
    assertThat(responses).extracting(ClassifyResponse::getRequestId).doesNotHaveDuplicates();
    ClassifyResponse failed =
        responses.stream().filter(r -> r.getRequestId().equals("r7")).findFirst().orElseThrow();
    assertThat(failed.getError().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
    assertThat(failed.getError().getMessage()).contains("image 0");
    assertThat(responses.stream().filter(r -> !r.getRequestId().equals("r7")))
        .allSatisfy(r -> assertThat(r.getClassificationsCount()).isEqualTo(1));
  }

  @Test
  void metricsServiceReportsRequestLatencyBatchSizesAndQueueDepth() {
    classifier.classify(
        Requests.to("mini")
            .addImages(Requests.pixels(64, FixtureRepository.reference(MINI).image(0)))
            .build());

    var metrics =
        dev.swinserve.api.v1.MetricsServiceGrpc.newBlockingStub(server.channel())
            .getMetrics(dev.swinserve.api.v1.GetMetricsRequest.getDefaultInstance());

    assertThat(metrics.getDistributionsList())
        .anySatisfy(
            series -> {
              assertThat(series.getName()).isEqualTo("request_latency");
              assertThat(series.getLabelsMap())
                  .containsEntry("model", "mini")
                  .containsEntry("status", "OK")
                  .containsEntry("method", "Classify");
              assertThat(series.getCount()).isPositive();
              assertThat(series.getP50()).isPositive();
            });
    assertThat(metrics.getDistributionsList())
        .extracting(series -> series.getName())
        .contains("queue_time", "compute_time", "batch_size");
    assertThat(metrics.getGaugesList())
        .anySatisfy(gauge -> assertThat(gauge.getName()).isEqualTo("queue_depth"));
  }

  private static void assertStatus(
      ClassifyRequest.Builder request, Status.Code code, String messagePart) {
    assertThatThrownBy(() -> classifier.classify(request.build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(messagePart);
            });
  }
}
