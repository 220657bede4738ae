package dev.swinserve.server.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.swinserve.format.image.ImageDecodeException;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.registry.VersionSelector;
import dev.swinserve.server.metrics.ServerMetrics;
import dev.swinserve.server.scheduling.DeadlineExpiredException;
import dev.swinserve.server.testing.ScriptedModel;
import dev.swinserve.server.testing.TestImages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request's images are decoded only while the call is wanted: each image checks the deadline and
 * cancellation before it starts, and the first failure skips the rest. No clocks are raced: the
 * fake model's decoder blocks until the test lets it go.
 */
class ImageDecodingTest {

  private static final int IMAGES = 10;

  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final ServerMetrics metrics = new ServerMetrics();

  /** Indexes of the images the model was asked to decode. */
  private final List<Integer> decoded = Collections.synchronizedList(new ArrayList<>());

  private final CountDownLatch twoStarted = new CountDownLatch(2);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stopPool() {
    release.countDown();
    pool.shutdownNow();
  }

  /** Decoding blocks until {@link #release}; image {@code failing} is corrupt. */
  private ScriptedModel blockingDecoder(int failing) {
    return new ScriptedModel(new ModelVersionId("m", 1), (pixels, batch) -> new float[batch][2]) {
      @Override
      public void preprocess(byte[] encoded, float[] destination, int offset) {
        int index = offset / inputLength();
        decoded.add(index);
        if (index == failing) {
          throw new ImageDecodeException("corrupt PNG", new IOException("bad CRC"));
        }
        twoStarted.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  private static ClassificationRequest request(OptionalLong deadline, AtomicBoolean cancelled)
      throws IOException {
    List<ImageInput> images = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      images.add(new ImageInput.Encoded(TestImages.png(4, 4)));
    }
    return new ClassificationRequest(
        "m", VersionSelector.defaultVersion(), images, 1, false, deadline, "", cancelled::get);
  }

  private CompletableFuture<float[]> start(ScriptedModel model, ClassificationRequest request) {
    return ImageDecoding.start(
        model,
        request,
        new float[IMAGES * model.inputLength()],
        pool,
        metrics.distribution("decode_time", "ms", java.util.Map.of()));
  }

  @Test
  void afterTheDeadlineNoFurtherImageIsDecoded() throws Exception {
    // A deadline already past: no image may start decoding.
    long deadline = System.nanoTime() - 1;
    CompletableFuture<float[]> result =
        start(blockingDecoder(-1), request(OptionalLong.of(deadline), new AtomicBoolean()));
    release.countDown();

    assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(DeadlineExpiredException.class)
        .hasMessageContaining("before decoding image");
    assertThat(awaitPoolIdle()).isTrue();
    assertThat(decoded).as("only the images started before the deadline").isSubsetOf(0, 1);
  }

  @Test
  void onceTheCallerIsGoneNoFurtherImageIsDecoded() throws Exception {
    AtomicBoolean cancelled = new AtomicBoolean();
    CompletableFuture<float[]> result =
        start(blockingDecoder(-1), request(OptionalLong.empty(), cancelled));
    assertThat(twoStarted.await(10, TimeUnit.SECONDS)).isTrue();
    cancelled.set(true);
    release.countDown();

    assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
        .isInstanceOf(CancellationException.class)
        .hasMessageContaining("cancelled before decoding image");
    assertThat(awaitPoolIdle()).isTrue();
    assertThat(decoded).containsExactlyInAnyOrder(0, 1);
  }

  @Test
  void theFirstBadImageFailsTheRequestWithItsCauseAndSkipsTheRest() throws Exception {
    // Image 0 fails at once; image 1 may be decoding meanwhile (it blocks until released).
    CompletableFuture<float[]> result =
        start(blockingDecoder(0), request(OptionalLong.empty(), new AtomicBoolean()));

    assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(ImageDecodeException.class)
        .hasMessage("image 0: corrupt PNG")
        .cause()
        .isInstanceOf(ImageDecodeException.class)
        .hasMessage("corrupt PNG")
        .cause()
        .isInstanceOf(IOException.class);
    release.countDown();
    assertThat(awaitPoolIdle()).isTrue();
    assertThat(decoded).as("images after the failure never start").contains(0).isSubsetOf(0, 1);
  }

  @Test
  void aServerFaultWhileDecodingIsNotReportedAsABadImage() throws Exception {
    ScriptedModel closed =
        new ScriptedModel(new ModelVersionId("m", 1), (pixels, batch) -> new float[batch][2]) {
          @Override
          public void preprocess(byte[] encoded, float[] destination, int offset) {
            throw new IllegalStateException("model m@1 is closed");
          }
        };

    assertThatThrownBy(
            () ->
                start(closed, request(OptionalLong.empty(), new AtomicBoolean()))
                    .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class);
  }

  private boolean awaitPoolIdle() throws InterruptedException {
    pool.shutdown();
    return pool.awaitTermination(10, TimeUnit.SECONDS);
  }
}
