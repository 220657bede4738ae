package dev.swinserve.server.grpc;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.Distribution;
import dev.swinserve.api.v1.GetMetricsRequest;
import dev.swinserve.api.v1.MetricsServiceGrpc;
import dev.swinserve.format.testing.Fixtures;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.InProcessServer;
import dev.swinserve.server.testing.Requests;
import dev.swinserve.server.testing.TestConfigs;
import dev.swinserve.server.testing.TestImages;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call whose deadline passes while its images wait to be decoded stops costing decoding time: the
 * images not yet started are skipped, so the next call is not queued behind them.
 */
class DecodingDeadlineTest {

  private static final int IMAGES = 48;

  @TempDir Path repository;

  @Test
  void aCallPastItsDeadlineStopsDecodingAndTheNextCallIsNotQueuedBehindIt() throws IOException {
    FixtureRepository.add(repository, "mini", 1, MINI);
    byte[] large =
        TestImages.png(4000, 4000); // 16 megapixels: a fraction of a second to decode and resize
    ClassifyRequest.Builder heavy = Requests.to("mini");
    for (int i = 0; i < IMAGES; i++) {
      heavy.addImages(Requests.encoded(large));
    }
    // One decoding thread: before the fix the heavy call's images were all decoded, in order, ahead
    // of the next call's image.
    try (InProcessServer server =
        InProcessServer.start(
            TestConfigs.withRepository(
                repository,
                "limits: {max_images_per_request: " + IMAGES + ", max_request_megapixels: 10000}",
                "scheduling: {preprocess_threads: 1}"))) {
      var classifier = ClassifierGrpc.newBlockingStub(server.channel());

      assertThatThrownBy(
              () ->
                  classifier.withDeadlineAfter(300, TimeUnit.MILLISECONDS).classify(heavy.build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      // The next call's image is queued after every image of the heavy call.
      var next =
          classifier
              .withDeadlineAfter(120, TimeUnit.SECONDS)
              .classify(
                  Requests.to("mini")
                      .addImages(
                          Requests.encoded(Files.readAllBytes(Fixtures.image("chelsea.png"))))
                      .build());

      assertThat(next.getClassificationsCount()).isEqualTo(1);
      Distribution decodes =
          MetricsServiceGrpc.newBlockingStub(server.channel())
              .getMetrics(GetMetricsRequest.getDefaultInstance())
              .getDistributionsList()
              .stream()
              .filter(series -> series.getName().equals("decode_time"))
              .findFirst()
              .orElseThrow();
      assertThat(decodes.getCount())
          .as("images decoded, the next call's included; the heavy call had %d", IMAGES)
          .isLessThan(IMAGES / 2);
    }
  }

  /** A uniform PNG: small to send, as slow to decode as any image of its size. */
}
