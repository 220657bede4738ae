package dev.swinserve.server.tfserving;

import dev.swinserve.api.tensorflow.DataType;
import dev.swinserve.api.tensorflow.TensorProto;
import dev.swinserve.api.tensorflow.TensorShapeProto;
import dev.swinserve.api.tfserving.PredictRequest;
import dev.swinserve.api.tfserving.PredictResponse;
import dev.swinserve.format.ModelVersionLayout;
import dev.swinserve.server.classify.ClassificationRequest;
import dev.swinserve.server.classify.ClassificationResult;
import dev.swinserve.server.classify.ImageInput;
import dev.swinserve.server.classify.InvalidInputException;
import dev.swinserve.server.grpc.CallContext;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow Serving's Predict to a classification request and back. The request holds one input:
 * {@value ModelVersionLayout#INPUT}, {@code DT_FLOAT [batch, height, width, 3]} preprocessed as the
 * model expects (the SavedModel signature's own input), or {@value #IMAGES}, {@code DT_STRING
 * [batch]} of encoded images that the server preprocesses. The response holds {@value
 * ModelVersionLayout#LOGITS} and {@value ModelVersionLayout#PROBABILITIES}, {@code DT_FLOAT [batch,
 * classes]}, or those of them the output filter names.
 */
final class PredictMapping {

  /** The input alias of encoded images, beside the signature's pixel input. */
  static final String IMAGES = "images";

  static final List<String> OUTPUTS =
      List.of(ModelVersionLayout.LOGITS, ModelVersionLayout.PROBABILITIES);

  private PredictMapping() {}

  /**
   * The classification of {@code request} in {@code call}, for every class (logits, top class
   * only).
   *
   * @throws InvalidInputException if the model spec, the input or the output filter is not what
   *     this front door serves
   */
  static ClassificationRequest request(PredictRequest request, CallContext call) {
    String model = ModelSpecs.name(request.getModelSpec());
    outputs(request); // refuses an unknown output before any work is spent
    return new ClassificationRequest(
        model,
        ModelSpecs.selector(request.getModelSpec()),
        images(request.getInputsMap()),
        1,
        true,
        call.deadlineNanoTime(),
        "",
        call.cancelled());
  }

  /**
   * The outputs {@code request} asks for, in the order of {@link #OUTPUTS}.
   *
   * @throws InvalidInputException if the filter names an output the signature does not have
   */
  static List<String> outputs(PredictRequest request) {
    for (String name : request.getOutputFilterList()) {
      if (!OUTPUTS.contains(name)) {
        throw new InvalidInputException(
            "output_filter names '"
                + ModelSpecs.shown(name)
                + "'; the outputs are "
                + String.join(", ", OUTPUTS));
      }
    }
    if (request.getOutputFilterCount() == 0) {
      return OUTPUTS;
    }
    return OUTPUTS.stream().filter(request.getOutputFilterList()::contains).toList();
  }

  private static List<ImageInput> images(Map<String, TensorProto> inputs) {
    if (inputs.size() != 1) {
      throw new InvalidInputException(
          "inputs must hold exactly one of '"
              + ModelVersionLayout.INPUT
              + "' (DT_FLOAT [batch, height, width, 3]) and '"
              + IMAGES
              + "' (DT_STRING [batch], encoded images); got "
              + inputs.size()
              + " inputs");
    }
    Map.Entry<String, TensorProto> input = inputs.entrySet().iterator().next();
    return switch (input.getKey()) {
      case ModelVersionLayout.INPUT -> InputTensors.pixels(input.getKey(), input.getValue());
      case IMAGES -> InputTensors.encoded(input.getKey(), input.getValue());
      default ->
          throw new InvalidInputException(
              "input '"
                  + ModelSpecs.shown(input.getKey())
                  + "' is not served; the inputs are '"
                  + ModelVersionLayout.INPUT
                  + "' and '"
                  + IMAGES
                  + "'");
    };
  }

  /** The answer to {@code request}: the model that answered and the outputs it asked for. */
  static PredictResponse response(PredictRequest request, ClassificationResult result) {
    List<ClassificationResult.ImageClassification> images = result.images();
    int classes = images.get(0).logits().length;
    float[] logits = new float[images.size() * classes];
    float[] probabilities = new float[logits.length];
    for (int i = 0; i < images.size(); i++) {
      float[] row = images.get(i).logits();
      System.arraycopy(row, 0, logits, i * classes, classes);
      softmax(row, probabilities, i * classes);
    }
    PredictResponse.Builder response =
        PredictResponse.newBuilder().setModelSpec(ModelSpecs.answered(result.model()));
    for (String output : outputs(request)) {
      float[] values = output.equals(ModelVersionLayout.LOGITS) ? logits : probabilities;
      response.putOutputs(output, matrix(images.size(), classes, values));
    }
    return response.build();
  }

  /** Writes the softmax of {@code logits} into {@code destination} from {@code offset} on. */
  private static void softmax(float[] logits, float[] destination, int offset) {
    double max = Double.NEGATIVE_INFINITY;
    for (float logit : logits) {
      max = Math.max(max, logit);
    }
    double sum = 0;
    for (float logit : logits) {
      sum += Math.exp(logit - max);
    }
    for (int i = 0; i < logits.length; i++) {
      destination[offset + i] = (float) (Math.exp(logits[i] - max) / sum);
    }
  }

  private static TensorProto matrix(int rows, int columns, float[] values) {
    TensorProto.Builder tensor =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setTensorShape(
                TensorShapeProto.newBuilder()
                    .addDim(TensorShapeProto.Dim.newBuilder().setSize(rows))
                    .addDim(TensorShapeProto.Dim.newBuilder().setSize(columns)));
    for (float value : values) {
      tensor.addFloatVal(value);
    }
    return tensor.build();
  }
}
