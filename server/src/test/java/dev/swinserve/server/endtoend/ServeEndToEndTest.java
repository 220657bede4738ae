package dev.swinserve.server.endtoend;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyResponse;
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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code swinserve serve} as a real process on port 0, called over TCP. */
class ServeEndToEndTest {

  private static final List<String> IMAGES = List.of("astronaut.png", "camera-grayscale.png",
      "chelsea-progressive.jpg", "chelsea.png", "coffee.png", "green-palette.png", "hubble_deep_field.jpg",
      "logo-rgba.png", "rocket.jpg");

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
      ClassifyResponse response = ClassifierGrpc.newBlockingStub(channel).classify(Requests.to("mini")
          .setIncludeLogits(true).addImages(Requests.pixels(reference.side(), reference.image(i))).build());

      float[] logits = logits(response);
      assertThat(FixtureRepository.relativeError(logits, reference.logitsOf(i))).isLessThanOrEqualTo(1e-4);
    }
  }

  @Test
  void imagesGetTheSameTopFiveAndLogitsAsTheSavedModelCalledDirectly() throws Exception {
    for (String image : IMAGES) {
      byte[] bytes = Files.readAllBytes(Fixtures.image(image));
      ClassifyResponse response = ClassifierGrpc.newBlockingStub(channel).classify(Requests.to("mini")
          .setIncludeLogits(true).addImages(Requests.encoded(bytes)).build());
      float[] direct = DirectModel.logits(version, bytes);

      float[] served = logits(response);
      for (int c = 0; c < direct.length; c++) {
        assertThat(served[c]).as("%s logit %d", image, c).isCloseTo(direct[c], within(1e-5f));
      }
      assertThat(response.getClassifications(0).getClassesList()).extracting(s -> s.getIndex())
          .as(image).containsExactlyElementsOf(topFive(direct));
    }
  }

  @Test
  void anOversizedMessageIsRefusedAndTheServerGoesOn() {
    byte[] huge = new byte[2 * 1024 * 1024];

    assertThatThrownBy(() -> ClassifierGrpc.newBlockingStub(channel)
        .classify(Requests.to("mini").addImages(Requests.encoded(huge)).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.getStatus().getDescription()).contains("1048576");
        });
    assertThat(ClassifierGrpc.newBlockingStub(channel).classify(Requests.to("mini")
        .addImages(Requests.pixels(64, new float[64 * 64 * 3])).build()).getClassificationsCount()).isEqualTo(1);
  }

  private static List<Integer> topFive(float[] logits) {
    return java.util.stream.IntStream.range(0, logits.length).boxed()
        .sorted((a, b) -> Float.compare(logits[b], logits[a])).limit(5).toList();
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
