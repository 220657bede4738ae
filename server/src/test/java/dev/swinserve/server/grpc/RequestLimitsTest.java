package dev.swinserve.server.grpc;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import dev.swinserve.api.RetryPushback;
import dev.swinserve.api.v1.Arm;
import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.api.v1.Endpoint;
import dev.swinserve.api.v1.GetEndpointRequest;
import dev.swinserve.api.v1.Image;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.server.GrpcModule;
import dev.swinserve.server.NettyTransportModule;
import dev.swinserve.server.ServerModule;
import dev.swinserve.server.SwinserveServer;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.RecordedStream;
import dev.swinserve.server.testing.Requests;
import dev.swinserve.server.testing.TestConfigs;
import dev.swinserve.server.testing.TestImages;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that can never succeed are refused INVALID_ARGUMENT naming the limit they break, with a
 * short message, over the real Netty transport (whose HTTP/2 header limits an echoed name could
 * break); a 1-megapixel budget per request.
 */
class RequestLimitsTest {

  private static final String LONG = "x".repeat(10_000);

  @TempDir static Path repository;
  private static SwinserveServer server;
  private static ManagedChannel channel;
  private static ClassifierGrpc.ClassifierBlockingStub classifier;

  @BeforeAll
  static void startServer() throws IOException {
    FixtureRepository.add(repository, "mini", 1, MINI);
    ServerConfig config =
        TestConfigs.withRepository(repository, "limits: {max_request_megapixels: 1}")
            .withHost("127.0.0.1");
    server =
        Guice.createInjector(new ServerModule(config), new GrpcModule(), new NettyTransportModule())
            .getInstance(SwinserveServer.class);
    server.start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    classifier = ClassifierGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopServer() {
    channel.shutdownNow();
    server.shutdown();
  }

  @Test
  void moreImagesThanTheLimitIsInvalidAndNotRetryable() throws IOException {
    ClassifyRequest.Builder encoded = Requests.to("mini");
    byte[] png = TestImages.png(8, 8);
    for (int i = 0; i < 300; i++) {
      encoded.addImages(Requests.encoded(png));
    }
    ClassifyRequest.Builder pixels = Requests.to("mini");
    for (int i = 0; i < 65; i++) {
      pixels.addImages(Requests.pixels(64, new float[64 * 64 * 3]));
    }

    for (ClassifyRequest.Builder request : new ClassifyRequest.Builder[] {encoded, pixels}) {
      assertThatThrownBy(() -> classifier.classify(request.build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription())
                    .contains(
                        "limits.max_images_per_request",
                        "64",
                        request.getImagesCount() + " images");
                assertThat(e.getTrailers().get(RetryPushback.KEY)).as("no retry pushback").isNull();
              });
    }
  }

  @Test
  void aStreamMessageOverALimitGetsAnInvalidArgumentResponse() throws Exception {
    ClassifyRequest.Builder big = Requests.to("mini").setRequestId("big");
    for (int i = 0; i < 65; i++) {
      big.addImages(Requests.pixels(64, new float[64 * 64 * 3]));
    }
    ClassifyRequest longId =
        Requests.to("mini")
            .setRequestId(LONG)
            .addImages(Requests.pixels(64, new float[64 * 64 * 3]))
            .build();
    RecordedStream stream = new RecordedStream();
    StreamObserver<ClassifyRequest> requests =
        ClassifierGrpc.newStub(channel).classifyStream(stream);
    requests.onNext(big.build());
    requests.onNext(longId);
    requests.onCompleted();
    assertThat(stream.end().get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);

    List<ClassifyResponse> responses = stream.responses();
    assertThat(responses)
        .hasSize(2)
        .allSatisfy(
            response ->
                assertThat(response.getError().getCode())
                    .isEqualTo(Status.Code.INVALID_ARGUMENT.value()));
    assertThat(responses)
        .filteredOn(response -> response.getRequestId().equals("big"))
        .singleElement()
        .satisfies(
            response ->
                assertThat(response.getError().getMessage())
                    .contains("limits.max_images_per_request"));
    assertThat(responses)
        .filteredOn(response -> !response.getRequestId().equals("big"))
        .singleElement()
        .satisfies(
            response -> {
              assertThat(response.getRequestId())
                  .as("echoed up to the bound")
                  .isEqualTo(LONG.substring(0, 256));
              assertThat(response.getError().getMessage())
                  .contains("request_id", "256")
                  .hasSizeLessThan(1024);
            });
  }

  @Test
  void encodedImagesOverThePixelBudgetAreRefusedBeforeDecoding() throws IOException {
    byte[] large = TestImages.png(1000, 600);

    assertInvalid(
        () ->
            classifier.classify(
                Requests.to("mini")
                    .addImages(Requests.encoded(large))
                    .addImages(Requests.encoded(large))
                    .build()),
        "limits.max_request_megapixels",
        "1.2 megapixels");
    assertThat(
            classifier
                .classify(Requests.to("mini").addImages(Requests.encoded(large)).build())
                .getClassificationsCount())
        .as("one such image fits")
        .isEqualTo(1);
  }

  @Test
  void nonFinitePixelsAreRefusedNamingImageAndPosition() {
    float[] values = new float[64 * 64 * 3];
    values[(2 * 64 + 5) * 3 + 1] = Float.NaN;
    float[] infinite = new float[64 * 64 * 3];
    infinite[3 * 64 * 3] = Float.POSITIVE_INFINITY;

    assertInvalid(
        () ->
            classifier.classify(
                Requests.to("mini")
                    .addImages(Requests.pixels(64, new float[64 * 64 * 3]))
                    .addImages(Requests.pixels(64, values))
                    .build()),
        "image 1",
        "NaN",
        "row 2, column 5, channel 1");
    assertInvalid(
        () ->
            classifier.classify(
                Requests.to("mini").addImages(Requests.pixels(64, infinite)).build()),
        "image 0",
        "Infinity",
        "row 3, column 0, channel 0");
  }

  @Test
  void oversizedNamesAreRefusedNamingFieldAndLimitWithoutEchoingThem() {
    Image image = Requests.pixels(64, new float[64 * 64 * 3]);

    assertInvalid(
        () ->
            classifier.classify(
                ClassifyRequest.newBuilder()
                    .setModel(ModelSpec.newBuilder().setName("mini").setLabel(LONG))
                    .addImages(image)
                    .build()),
        "model.label",
        "128");
    assertInvalid(
        () -> classifier.classify(Requests.to(LONG).addImages(image).build()), "model.name", "128");
    assertInvalid(
        () -> classifier.classify(Requests.to("mini").setRequestId(LONG).addImages(image).build()),
        "request_id",
        "256");
    assertInvalid(
        () -> classifier.classify(Requests.to("mini").setRoutingKey(LONG).addImages(image).build()),
        "routing_key",
        "256");
    var models = ModelServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    assertInvalid(
        () -> models.getEndpoint(GetEndpointRequest.newBuilder().setName(LONG).build()), "128");
    assertInvalid(
        () ->
            models.setEndpoint(
                Endpoint.newBuilder()
                    .setName(LONG)
                    .addArms(
                        Arm.newBuilder()
                            .setModel(ModelSpec.newBuilder().setName("mini"))
                            .setWeight(1))
                    .build()),
        "128");
    assertInvalid(
        () ->
            models.setEndpoint(
                Endpoint.newBuilder()
                    .setName("e")
                    .addArms(
                        Arm.newBuilder()
                            .setModel(ModelSpec.newBuilder().setName("mini").setLabel(LONG))
                            .setWeight(1))
                    .build()),
        "128");
  }

  @Test
  void anUnknownLabelOfTheLongestAllowedLengthIsACleanNotFound() {
    assertThatThrownBy(
            () ->
                classifier.classify(
                    ClassifyRequest.newBuilder()
                        .setModel(ModelSpec.newBuilder().setName("mini").setLabel("y".repeat(128)))
                        .addImages(Requests.pixels(64, new float[64 * 64 * 3]))
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  private static void assertInvalid(ThrowingCallable call, String... messageParts) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode())
                  .as(e.getStatus().toString())
                  .isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .contains(messageParts)
                  .hasSizeLessThan(1024)
                  .doesNotContain("x".repeat(100));
            });
  }
}
