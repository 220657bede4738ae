package dev.swinserve.server.tfserving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.swinserve.api.tensorflow.DataType;
import dev.swinserve.api.tensorflow.TensorProto;
import dev.swinserve.api.tensorflow.TensorShapeProto;
import dev.swinserve.server.classify.ImageInput;
import dev.swinserve.server.classify.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Predict input tensor as images: values split per image, and shapes that lie refused. */
class InputTensorsTest {

  @Test
  void aFloatBatchSplitsIntoImagesInRowMajorOrder() {
    TensorProto tensor =
        floats(2, 1, 2, 3)
            .addAllFloatVal(List.of(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f))
            .build();

    List<ImageInput> images = InputTensors.pixels("pixel_values", tensor);

    assertThat(images).hasSize(2);
    ImageInput.Pixels second = (ImageInput.Pixels) images.get(1);
    assertThat(second.height()).isEqualTo(1);
    assertThat(second.width()).isEqualTo(2);
    assertThat(second.channels()).isEqualTo(3);
    assertThat(second.values()).containsExactly(6f, 7f, 8f, 9f, 10f, 11f);
  }

  @Test
  void tensorContentIsReadLittleEndian() {
    byte[] one = {0, 0, (byte) 0x80, 0x3f}; // 1.0f, little-endian
    byte[] bytes = new byte[12];
    for (int i = 0; i < 3; i++) {
      System.arraycopy(one, 0, bytes, i * 4, 4);
    }
    TensorProto tensor = floats(1, 1, 1, 3).setTensorContent(ByteString.copyFrom(bytes)).build();

    ImageInput.Pixels image = (ImageInput.Pixels) InputTensors.pixels("p", tensor).get(0);

    assertThat(image.values()).containsExactly(1f, 1f, 1f);
  }

  @Test
  void shapesThatDoNotMatchTheValuesAreRefused() {
    assertRefused(floats(1, 1, 1, 3).addFloatVal(1f).build(), "3 elements but holds 1");
    assertRefused(
        floats(1, 1, 1, 3).setTensorContent(ByteString.copyFrom(new byte[13])).build(), "13 bytes");
    assertRefused(floats(1, 0, 1, 3).build(), "every size must be positive");
    assertRefused(floats(1, -1, 1, 3).build(), "every size must be positive");
    assertRefused(
        floats(Long.MAX_VALUE, Long.MAX_VALUE, 2, 3).addFloatVal(1f).build(), "too many elements");
    assertRefused(floats(65536, 65536, 1, 1).build(), "too many elements");
    assertRefused(floats(1, 3).addFloatVal(1f).addFloatVal(2f).addFloatVal(3f).build(), "[batch");
    assertRefused(
        TensorProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setTensorShape(TensorShapeProto.newBuilder().setUnknownRank(true))
            .build(),
        "known shape");
    assertRefused(
        TensorProto.newBuilder().setDtype(DataType.DT_DOUBLE).addDoubleVal(1).build(), "DT_FLOAT");
  }

  @Test
  void stringsAreEncodedImagesWhateverTheirShape() {
    TensorProto scalar =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_STRING)
            .addStringVal(ByteString.copyFromUtf8("a"))
            .build();
    TensorProto miscounted =
        scalar.toBuilder()
            .setTensorShape(
                TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(2)))
            .build();

    assertThat(InputTensors.encoded("images", scalar))
        .singleElement()
        .satisfies(
            image -> assertThat(((ImageInput.Encoded) image).bytes()).containsExactly((byte) 'a'));
    assertThatThrownBy(() -> InputTensors.encoded("images", miscounted))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("2 elements but holds 1 strings");
  }

  private static TensorProto.Builder floats(long... sizes) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long size : sizes) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(size));
    }
    return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape);
  }

  private static void assertRefused(TensorProto tensor, String messagePart) {
    assertThatThrownBy(() -> InputTensors.pixels("pixel_values", tensor))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(messagePart);
  }
}
