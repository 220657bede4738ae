package dev.swinserve.server.runtime.tensorflow;

import dev.swinserve.format.ModelVersionLayout;
import dev.swinserve.format.metadata.PreprocessingSettings;
import dev.swinserve.server.runtime.InvalidModelException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.Signature.TensorDescription;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * The checked shape of a SavedModel's {@code serving_default} signature: it takes exactly {@code
 * pixel_values}, float32 {@code [-1, height, width, 3]}, and returns float32 {@code logits} {@code
 * [-1, classes]}, with the size the preprocessing settings make and as many classes as there are
 * labels. Checked at load so that a mismatched version fails there, not on its first request.
 *
 * @param height input height in pixels
 * @param width input width in pixels
 * @param inputTensor the graph tensor behind the input, to feed ({@code op:index})
 * @param logitsTensor the graph tensor behind the logits, to fetch
 */
record ServingSignature(int height, int width, String inputTensor, String logitsTensor) {

  /**
   * @throws InvalidModelException saying which part of the signature does not fit, and with what
   */
  static ServingSignature check(
      SavedModelBundle bundle, Path versionDirectory, ModelAssets assets) {
    String where =
        versionDirectory.resolve(ModelVersionLayout.SAVED_MODEL_FILE)
            + ": signature '"
            + ModelVersionLayout.SIGNATURE
            + "'";
    Signature signature =
        bundle.signatures().stream()
            .filter(candidate -> candidate.key().equals(ModelVersionLayout.SIGNATURE))
            .findFirst()
            .orElseThrow(
                () ->
                    new InvalidModelException(
                        where
                            + " not found; the SavedModel has "
                            + bundle.signatures().stream()
                                .map(Signature::key)
                                .collect(Collectors.toList())));
    if (!signature.inputNames().equals(Set.of(ModelVersionLayout.INPUT))) {
      throw new InvalidModelException(
          where
              + " takes inputs "
              + signature.inputNames()
              + "; the server feeds exactly one, '"
              + ModelVersionLayout.INPUT
              + "'");
    }
    TensorDescription input = signature.getInputs().get(ModelVersionLayout.INPUT);
    TensorDescription logits = signature.getOutputs().get(ModelVersionLayout.LOGITS);
    if (logits == null) {
      throw new InvalidModelException(
          where
              + " has no output '"
              + ModelVersionLayout.LOGITS
              + "'; its outputs are "
              + signature.outputNames());
    }
    requireFloat(where, ModelVersionLayout.INPUT, input);
    requireFloat(where, ModelVersionLayout.LOGITS, logits);

    Shape pixels = input.shape;
    PreprocessingSettings preprocessing = assets.preprocessing();
    if (pixels.numDimensions() != 4
        || pixels.get(0) != Shape.UNKNOWN_SIZE
        || pixels.get(3) != 3
        || pixels.get(1) != preprocessing.height()
        || pixels.get(2) != preprocessing.width()) {
      throw new InvalidModelException(
          where
              + " input '"
              + ModelVersionLayout.INPUT
              + "' has shape "
              + pixels
              + "; expected [-1, "
              + preprocessing.height()
              + ", "
              + preprocessing.width()
              + ", 3]: any batch size, NHWC, the "
              + preprocessing.height()
              + "x"
              + preprocessing.width()
              + " images "
              + ModelVersionLayout.PREPROCESSING_ASSET
              + " makes");
    }
    Shape scores = logits.shape;
    int labels = assets.labels().size();
    // An unknown class count is allowed (other exporters may not infer it); every call checks it.
    boolean classesFit =
        scores.isUnknown()
            || (scores.numDimensions() == 2
                && (scores.get(1) == Shape.UNKNOWN_SIZE || scores.get(1) == labels));
    if (!classesFit) {
      throw new InvalidModelException(
          where
              + " output '"
              + ModelVersionLayout.LOGITS
              + "' has shape "
              + scores
              + " but "
              + versionDirectory.resolve(ModelVersionLayout.LABELS_ASSET)
              + " has "
              + labels
              + " labels; expected [-1, "
              + labels
              + "]");
    }
    return new ServingSignature(
        preprocessing.height(), preprocessing.width(), input.name, logits.name);
  }

  private static void requireFloat(String where, String name, TensorDescription tensor) {
    if (tensor.dataType != DataType.DT_FLOAT) {
      throw new InvalidModelException(
          where + " tensor '" + name + "' is " + tensor.dataType + "; expected DT_FLOAT (float32)");
    }
  }
}
