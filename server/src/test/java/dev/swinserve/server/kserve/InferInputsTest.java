package dev.swinserve.server.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.swinserve.api.kserve.ModelInferRequest;
import dev.swinserve.api.kserve.ModelInferRequest.InferInputTensor;
import dev.swinserve.server.classify.ImageInput;
import dev.swinserve.server.classify.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The input tensor's forms and every way its shape and contents can disagree. */
class InferInputsTest {

  @Test
  void rawAndTypedPixelsMakeTheSameImages() {
    float[] first = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    float[] second = {-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12};
    List<ImageInput> typed =
        InferInputs.images(
            InferRequests.to("m")
                .addInputs(InferRequests.pixels(2, List.of(first, second)))
                .build());
    List<ImageInput> raw =
        InferInputs.images(
            InferRequests.to("m")
                .addInputs(InferRequests.pixelsShape(2, 2))
                .addRawInputContents(InferRequests.rawPixels(List.of(first, second)))
                .build());

    for (List<ImageInput> images : List.of(typed, raw)) {
      assertThat(images).hasSize(2);
      ImageInput.Pixels pixels = (ImageInput.Pixels) images.get(1);
      assertThat(pixels.height()).isEqualTo(2);
      assertThat(pixels.width()).isEqualTo(2);
      assertThat(pixels.values()).containsExactly(second);
    }
  }

  @Test
  void rawBytesSplitAtTheirLengthPrefixesEmptyElementsIncluded() {
    List<byte[]> elements = List.of(new byte[] {1, 2, 3}, new byte[0], new byte[] {9});
    List<ImageInput> images =
        InferInputs.images(
            InferRequests.to("m")
                .addInputs(bytesInput(3))
                .addRawInputContents(InferRequests.rawEncoded(elements))
                .build());

    assertThat(images)
        .extracting(image -> ((ImageInput.Encoded) image).bytes())
        .containsExactly(elements.toArray(new byte[0][]));
  }

  @Test
  void malformedTensorsAreInvalidNamingTheInput() {
    ByteString huge = ByteString.copyFrom(new byte[] {-1, -1, -1, -1, 1, 2});
    assertInvalid(
        InferRequests.to("m").addInputs(bytesInput(1)).addRawInputContents(huge),
        "raw element 0 announces 4294967295 bytes but 2 follow");
    assertInvalid(
        InferRequests.to("m")
            .addInputs(bytesInput(1))
            .addRawInputContents(ByteString.copyFrom(new byte[] {1, 0})),
        "end inside the length of element 0");
    assertInvalid(
        InferRequests.to("m").addInputs(bytesInput(1).toBuilder().addShape(2)),
        "it must be [N] or [N, 1]");
    // Found by KserveMappingFuzzTest#httpBody: shape [0, 1] and no data mapped to no images.
    assertInvalid(InferRequests.to("m").addInputs(bytesInput(0)), "holds no images");
    assertInvalid(
        InferRequests.to("m")
            .addInputs(
                InferRequests.pixelsShape(1, 1)
                    .setShape(0, Long.MAX_VALUE)
                    .setShape(1, Long.MAX_VALUE)),
        "input 'pixels' has shape");
    assertInvalid(
        InferRequests.to("m")
            .addInputs(InferRequests.pixelsShape(1, 1))
            .addRawInputContents(ByteString.copyFrom(new byte[13])),
        "13 raw bytes");
    assertInvalid(
        InferRequests.to("m")
            .addInputs(InferRequests.pixels(1, List.of(new float[3])))
            .addRawInputContents(ByteString.copyFrom(new byte[12])),
        "both contents and raw_input_contents");
    assertInvalid(InferRequests.to("m"), "holds 0");
  }

  private static InferInputTensor bytesInput(long count) {
    return InferInputTensor.newBuilder()
        .setName("jpegs")
        .setDatatype("BYTES")
        .addShape(count)
        .build();
  }

  private static void assertInvalid(ModelInferRequest.Builder request, String messagePart) {
    assertThatThrownBy(() -> InferInputs.images(request.build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(messagePart);
  }
}
