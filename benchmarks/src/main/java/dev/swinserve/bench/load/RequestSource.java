package dev.swinserve.bench.load;

import com.google.protobuf.ByteString;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.Image;
import dev.swinserve.api.v1.PixelTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests a run sends, built once up front so that building them costs nothing during the
 * measurement: either the image files' bytes, cycled in order across requests, or one seeded random
 * tensor. Thread-safe.
 */
final class RequestSource {

  private final List<ClassifyRequest> requests;
  private final AtomicLong next = new AtomicLong();

  private RequestSource(List<ClassifyRequest> requests) {
    this.requests = List.copyOf(requests);
  }

  /** Reads the images {@code spec} names (encoded) or draws its tensor (pixels). */
  static RequestSource of(LoadSpec spec) {
    List<Image> images =
        spec.input() == InputKind.ENCODED ? readAll(spec.images()) : List.of(pixels(spec));
    // Requests restart the image cycle after lcm(images, batch) images: that many distinct
    // requests.
    int distinct =
        images.size()
            / BigInteger.valueOf(images.size()).gcd(BigInteger.valueOf(spec.batch())).intValue();
    List<ClassifyRequest> requests = new ArrayList<>();
    for (int request = 0; request < distinct; request++) {
      ClassifyRequest.Builder builder = ClassifyRequest.newBuilder().setModel(spec.model());
      for (int slot = 0; slot < spec.batch(); slot++) {
        builder.addImages(
            images.get((int) (((long) request * spec.batch() + slot) % images.size())));
      }
      requests.add(builder.build());
    }
    return new RequestSource(requests);
  }

  /** The next request in the cycle, without a request id. */
  ClassifyRequest next() {
    return requests.get((int) (next.getAndIncrement() % requests.size()));
  }

  /** The next request in the cycle under {@code requestId}; the images are shared, not copied. */
  ClassifyRequest next(String requestId) {
    return next().toBuilder().setRequestId(requestId).build();
  }

  /** How many distinct requests the cycle has. */
  int distinctRequests() {
    return requests.size();
  }

  private static List<Image> readAll(List<Path> files) {
    List<Image> images = new ArrayList<>();
    for (Path file : files) {
      try {
        images.add(
            Image.newBuilder().setEncoded(ByteString.copyFrom(Files.readAllBytes(file))).build());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return images;
  }

  /** The seeded tensor of {@link PixelValues#standardNormal}. */
  private static Image pixels(LoadSpec spec) {
    int size = spec.pixelSize();
    PixelTensor.Builder tensor =
        PixelTensor.newBuilder().setHeight(size).setWidth(size).setChannels(3);
    for (float value : PixelValues.standardNormal(spec.seed(), size)) {
      tensor.addValues(value);
    }
    return Image.newBuilder().setPixels(tensor).build();
  }
}
