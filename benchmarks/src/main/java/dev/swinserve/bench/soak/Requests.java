package dev.swinserve.bench.soak;

import com.google.protobuf.ByteString;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.Image;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.PixelTensor;
import java.util.SplittableRandom;

/** The requests of a soak, good and bad, built from fixed seeds so every run sends the same. */
final class Requests {

  /** The side of the pixel tensors sent: the server resizes them to the model's input. */
  static final int PIXEL_SIZE = 64;

  private Requests() {}

  static ModelSpec model(String name) {
    return ModelSpec.newBuilder().setName(name).build();
  }

  /** A seeded random {@value #PIXEL_SIZE}-square RGB tensor. */
  static PixelTensor.Builder pixels(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    PixelTensor.Builder tensor =
        PixelTensor.newBuilder().setHeight(PIXEL_SIZE).setWidth(PIXEL_SIZE).setChannels(3);
    for (int i = 0; i < 3 * PIXEL_SIZE * PIXEL_SIZE; i++) {
      tensor.addValues((float) random.nextGaussian());
    }
    return tensor;
  }

  static Image image(PixelTensor.Builder pixels) {
    return Image.newBuilder().setPixels(pixels).build();
  }

  static Image image(byte[] encoded) {
    return Image.newBuilder().setEncoded(ByteString.copyFrom(encoded)).build();
  }

  /** One image for {@code target} (a model or an endpoint, its default version), top 5. */
  static ClassifyRequest classify(String target, Image image) {
    return ClassifyRequest.newBuilder().setModel(model(target)).addImages(image).setTopK(5).build();
  }
}
