package dev.swinserve.server.tfserving;

import dev.swinserve.api.tensorflow.DataType;
import dev.swinserve.api.tensorflow.SignatureDef;
import dev.swinserve.api.tensorflow.TensorInfo;
import dev.swinserve.api.tensorflow.TensorShapeProto;
import dev.swinserve.api.tfserving.SignatureDefMap;
import dev.swinserve.format.ModelVersionLayout;
import dev.swinserve.server.runtime.ClassificationModel;

/**
 * A model version's signature as GetModelMetadata describes it: the SavedModel's {@value
 * ModelVersionLayout#SIGNATURE}, whose input and outputs {@link ModelVersionLayout} defines, with
 * the sizes of this version. Tensors are named by their alias: the graph's own names are the
 * runtime's business. The {@value PredictMapping#IMAGES} input of encoded images is this server's
 * addition and not part of the signature.
 */
final class Signatures {

  /** TensorFlow Serving's method name of a Predict signature. */
  static final String PREDICT_METHOD = "tensorflow/serving/predict";

  private Signatures() {}

  static SignatureDefMap of(ClassificationModel model) {
    int classes = model.labels().size();
    SignatureDef signature =
        SignatureDef.newBuilder()
            .putInputs(
                ModelVersionLayout.INPUT,
                floats(ModelVersionLayout.INPUT, -1, model.height(), model.width(), 3))
            .putOutputs(ModelVersionLayout.LOGITS, floats(ModelVersionLayout.LOGITS, -1, classes))
            .putOutputs(
                ModelVersionLayout.PROBABILITIES,
                floats(ModelVersionLayout.PROBABILITIES, -1, classes))
            .setMethodName(PREDICT_METHOD)
            .build();
    return SignatureDefMap.newBuilder()
        .putSignatureDef(ModelVersionLayout.SIGNATURE, signature)
        .build();
  }

  /** A float tensor; -1 for the batch, whose size varies. */
  private static TensorInfo floats(String name, long... sizes) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long size : sizes) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(size));
    }
    return TensorInfo.newBuilder()
        .setName(name)
        .setDtype(DataType.DT_FLOAT)
        .setTensorShape(shape)
        .build();
  }
}
