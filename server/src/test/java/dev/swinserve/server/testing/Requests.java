package dev.swinserve.server.testing;

import com.google.protobuf.ByteString;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.Image;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.PixelTensor;

/** Building requests in tests. */
public final class Requests {

  private Requests() {}

  public static Image pixels(int side, float[] values) {
    PixelTensor.Builder tensor =
        PixelTensor.newBuilder().setHeight(side).setWidth(side).setChannels(3);
    for (float value : values) {
      tensor.addValues(value);
    }
    return Image.newBuilder().setPixels(tensor).build();
  }

  public static Image encoded(byte[] bytes) {
    return Image.newBuilder().setEncoded(ByteString.copyFrom(bytes)).build();
  }

  public static ClassifyRequest.Builder to(String model) {
    return ClassifyRequest.newBuilder().setModel(ModelSpec.newBuilder().setName(model));
  }
}
