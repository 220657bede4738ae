package dev.swinserve.server.kserve;

import com.google.protobuf.ByteString;
import dev.swinserve.api.kserve.InferParameter;
import dev.swinserve.api.kserve.ModelInferRequest.InferRequestedOutputTensor;
import dev.swinserve.server.classify.ClassificationResult.ClassScore;
import dev.swinserve.server.classify.ClassificationResult.ImageClassification;
import dev.swinserve.server.classify.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The protocol's classification extension, as Triton has it: an output asked for with {@code
 * parameters["classification"]} = k answers BYTES {@code [N, k]}, each image's k most probable
 * classes best first, each element {@code "<value>:<index>:<label>"} where the value is the
 * output's own (the logit for {@code logits}, the probability for {@code probabilities}).
 */
final class Classifications {

  static final String PARAMETER = "classification";

  private Classifications() {}

  /**
   * The classes asked for on {@code output}; 0 when the tensor itself is.
   *
   * @throws InvalidInputException if the parameter is no positive integer
   */
  static int count(String name, InferRequestedOutputTensor output) {
    InferParameter parameter = output.getParametersMap().get(PARAMETER);
    if (parameter == null) {
      return 0;
    }
    long count =
        switch (parameter.getParameterChoiceCase()) {
          case INT64_PARAM -> parameter.getInt64Param();
          case UINT64_PARAM -> parameter.getUint64Param();
          default -> 0;
        };
    if (count < 1) {
      throw new InvalidInputException(
          "output '" + name + "': parameters[\"classification\"] must be a positive integer");
    }
    return (int) Math.min(count, Integer.MAX_VALUE);
  }

  /** The top {@code count} classes of every image, as a raw BYTES tensor. */
  static ByteString raw(List<ImageClassification> images, String output, int count) {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    for (ImageClassification image : images) {
      for (ClassScore score : image.classes().subList(0, count)) {
        float value =
            output.equals(InferCall.LOGITS) ? image.logits()[score.index()] : score.score();
        byte[] element =
            String.format(Locale.ROOT, "%f:%d:%s", value, score.index(), score.label())
                .getBytes(StandardCharsets.UTF_8);
        raw.writeBytes(
            ByteBuffer.allocate(Integer.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(element.length)
                .array());
        raw.writeBytes(element);
      }
    }
    return ByteString.copyFrom(raw.toByteArray());
  }
}
