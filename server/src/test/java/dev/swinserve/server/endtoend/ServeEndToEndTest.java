package dev.swinserve.server.endtoend;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.format.testing.Fixtures;
import dev.swinserve.server.testing.DirectModel;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.Requests;
import dev.swinserve.server.testing.ServerProcess;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code swinserve serve} as a real process on port 0, called over TCP. */
class ServeEndToEndTest {

  private static final List<String> IMAGES =
      List.of(
          "astronaut.png",
          "camera-grayscale.png",
          "chelsea-progressive.jpg",
          "chelsea.png",
          "coffee.png",
          "green-palette.png",
          "hubble_deep_field.jpg",
          "logo-rgba.png",
          "rocket.jpg");

  @TempDir static Path work;
  private static ServerProcess server;
  private static ManagedChannel channel;
  private static Path version;

  @BeforeAll
  static void start() throws Exception {
    Path repository = work.resolve("models");
    version = FixtureRepository.add(repository, "mini", 1, MINI);
    server = ServerProcess.start(repository, work, "max_inbound_message_bytes: 1048576\n");
    channel = server.channel();
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow();
    server.close();
  }

  @Test
  void pixelInputsReproduceTheReferenceLogits() {
    FixtureRepository.Reference reference = FixtureRepository.reference(MINI);
    for (int i = 0; i < reference.count(); i++) {
      ClassifyResponse response =
          ClassifierGrpc.newBlockingStub(channel)
              .classify(
                  Requests.to("mini")
                      .setIncludeLogits(true)
                      .addImages(Requests.pixels(reference.side(), reference.image(i)))
                      .build());

      float[] logits = logits(response);
      assertThat(FixtureRepository.relativeError(logits, reference.logitsOf(i)))
          .isLessThanOrEqualTo(1e-4);
    }
  }

  @Test
  void imagesGetTheSameTopFiveAndLogitsAsTheSavedModelCalledDirectly() throws Exception {
    for (String image : IMAGES) {
      byte[] bytes = Files.readAllBytes(Fixtures.image(image));
      ClassifyResponse response =
          ClassifierGrpc.newBlockingStub(channel)
              .classify(
                  Requests.to("mini")
                      .setIncludeLogits(true)
                      .addImages(Requests.encoded(bytes))
                      .build());
      float[] direct = DirectModel.logits(version, bytes);

      float[] served = logits(response);
      for (int c = 0; c < direct.length; c++) {
        assertThat(served[c]).as("%s logit %d", image, c).isCloseTo(direct[c], within(1e-5f));
      }
      assertThat(response.getClassifications(0).getClassesList())
          .extracting(s -> s.getIndex())
          .as(image)
          .containsExactlyElementsOf(topFive(direct));
    }
  }

  @Test
  void everyBadInputGetsItsStatusWhileAWellBehavedClientSeesNoError() throws Exception {
    var reference = FixtureRepository.reference(MINI);
    byte[] jpeg = Files.readAllBytes(Fixtures.image("rocket.jpg"));
    var good = Requests.to("mini").addImages(Requests.pixels(64, reference.image(0))).build();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger politeCalls = new AtomicInteger();
    List<Throwable> politeFailures = new CopyOnWriteArrayList<>();
    Thread polite =
        new Thread(
            () -> {
              var stub = ClassifierGrpc.newBlockingStub(channel);
              while (running.get()) {
                try {
                  stub.withDeadlineAfter(20, TimeUnit.SECONDS).classify(good);
                  politeCalls.incrementAndGet();
                } catch (RuntimeException e) {
                  politeFailures.add(e);
                }
              }
            });
    polite.start();

    assertStatus(
        Requests.to("nope").addImages(Requests.pixels(64, reference.image(0))),
        Status.Code.NOT_FOUND,
        "'nope'");
    assertStatus(
        ClassifyRequest.newBuilder()
            .setModel(ModelSpec.newBuilder().setName("mini").setVersion(4))
            .addImages(Requests.pixels(64, reference.image(0))),
        Status.Code.NOT_FOUND,
        "4");
    assertStatus(
        ClassifyRequest.newBuilder()
            .setModel(ModelSpec.newBuilder().setName("mini").setLabel("canary"))
            .addImages(Requests.pixels(64, reference.image(0))),
        Status.Code.NOT_FOUND,
        "canary");
    assertStatus(
        Requests.to("mini").addImages(Requests.encoded(new byte[0])),
        Status.Code.INVALID_ARGUMENT,
        "empty");
    assertStatus(
        Requests.to("mini").addImages(Requests.encoded(Arrays.copyOf(jpeg, jpeg.length / 2))),
        Status.Code.INVALID_ARGUMENT,
        "image 0");
    assertStatus(
        Requests.to("mini").addImages(Requests.pixels(65, new float[65 * 65 * 3])),
        Status.Code.INVALID_ARGUMENT,
        "[65, 65, 3]");
    assertStatus(
        Requests.to("mini").addImages(Requests.encoded(new byte[2 * 1024 * 1024])),
        Status.Code.RESOURCE_EXHAUSTED,
        "1048576");
    int callsDuringBadInputs = politeCalls.get();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (politeCalls.get() < callsDuringBadInputs + 5 && System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    running.set(false);
    polite.join();

    assertThat(politeFailures).as("failed calls of the well-behaved client").isEmpty();
    assertThat(politeCalls.get()).isGreaterThan(callsDuringBadInputs);
  }

  private static void assertStatus(
      ClassifyRequest.Builder request, Status.Code code, String messagePart) {
    assertThatThrownBy(() -> ClassifierGrpc.newBlockingStub(channel).classify(request.build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(messagePart);
            });
  }

  private static List<Integer> topFive(float[] logits) {
    return java.util.stream.IntStream.range(0, logits.length)
        .boxed()
        .sorted((a, b) -> Float.compare(logits[b], logits[a]))
        .limit(5)
        .toList();
  }

  private static float[] logits(ClassifyResponse response) {
    List<Float> values = response.getClassifications(0).getLogitsList();
    float[] array = new float[values.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = values.get(i);
    }
    return array;
  }
}
