package dev.swinserve.server.tfserving;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.swinserve.api.tensorflow.DataType;
import dev.swinserve.api.tensorflow.SignatureDef;
import dev.swinserve.api.tensorflow.TensorInfo;
import dev.swinserve.api.tensorflow.TensorProto;
import dev.swinserve.api.tensorflow.TensorShapeProto;
import dev.swinserve.api.tfserving.GetModelMetadataRequest;
import dev.swinserve.api.tfserving.GetModelMetadataResponse;
import dev.swinserve.api.tfserving.ModelSpec;
import dev.swinserve.api.tfserving.PredictRequest;
import dev.swinserve.api.tfserving.PredictResponse;
import dev.swinserve.api.tfserving.PredictionServiceGrpc;
import dev.swinserve.api.tfserving.SignatureDefMap;
import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.GetMetricsRequest;
import dev.swinserve.api.v1.MetricsServiceGrpc;
import dev.swinserve.format.testing.Fixtures;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.InProcessServer;
import dev.swinserve.server.testing.Requests;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorFlow Serving's PredictionService in-process, on the production modules and real SavedModels
 * made from the fixtures: requests built as {@code tensorflow-serving-api} builds them.
 */
class PredictionGrpcServiceTest {

  @TempDir static Path repository;
  private static InProcessServer server;
  private static PredictionServiceGrpc.PredictionServiceBlockingStub prediction;

  @BeforeAll
  static void startServer() throws IOException {
    FixtureRepository.addTwoVersionsWithStableLabel(repository, "mini", MINI);
    server = InProcessServer.start(repository);
    prediction = PredictionServiceGrpc.newBlockingStub(server.channel());
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void pixelValuesInFloatValReproduceTheReferenceLogits() {
    FixtureRepository.Reference reference = FixtureRepository.reference(MINI);

    PredictResponse response =
        prediction.predict(predict("mini").putInputs("pixel_values", floatVal(reference)).build());

    assertMatchesReference(response, reference);
    assertThat(response.getModelSpec().getName()).isEqualTo("mini");
    assertThat(response.getModelSpec().getVersion().getValue())
        .as("stable is 1, though 2 is newer")
        .isEqualTo(1);
    assertThat(response.getModelSpec().getSignatureName()).isEqualTo("serving_default");
  }

  @Test
  void pixelValuesInTensorContentReproduceTheReferenceLogits() {
    FixtureRepository.Reference reference = FixtureRepository.reference(MINI);

    PredictResponse response =
        prediction.predict(
            predict("mini").putInputs("pixel_values", tensorContent(reference)).build());

    assertMatchesReference(response, reference);
  }

  @Test
  void probabilitiesAreTheSoftmaxOfTheLogits() {
    FixtureRepository.Reference reference = FixtureRepository.reference(MINI);

    PredictResponse response =
        prediction.predict(predict("mini").putInputs("pixel_values", floatVal(reference)).build());

    TensorProto logits = response.getOutputsOrThrow("logits");
    TensorProto probabilities = response.getOutputsOrThrow("probabilities");
    assertThat(probabilities.getDtype()).isEqualTo(DataType.DT_FLOAT);
    assertThat(shape(probabilities)).isEqualTo(shape(logits));
    int classes = (int) shape(logits).get(1).longValue();
    for (int image = 0; image < reference.count(); image++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, logits.getFloatVal(image * classes + c));
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(logits.getFloatVal(image * classes + c) - max);
      }
      double total = 0;
      for (int c = 0; c < classes; c++) {
        double expected = Math.exp(logits.getFloatVal(image * classes + c) - max) / sum;
        assertThat((double) probabilities.getFloatVal(image * classes + c))
            .as("image %d class %d", image, c)
            .isCloseTo(expected, offset(1e-6));
        total += probabilities.getFloatVal(image * classes + c);
      }
      assertThat(total).isCloseTo(1.0, offset(1e-4));
    }
  }

  @Test
  void outputFilterReturnsOnlyWhatItNames() {
    FixtureRepository.Reference reference = FixtureRepository.reference(MINI);

    PredictResponse response =
        prediction.predict(
            predict("mini")
                .putInputs("pixel_values", floatVal(reference))
                .addOutputFilter("probabilities")
                .build());

    assertThat(response.getOutputsMap()).containsOnlyKeys("probabilities");
  }

  @Test
  void encodedImagesAnswerAsTheClassifierDoes() throws IOException {
    byte[] png = Files.readAllBytes(Fixtures.image("chelsea.png"));
    byte[] jpeg = Files.readAllBytes(Fixtures.image("rocket.jpg"));
    TensorProto images =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_STRING)
            .setTensorShape(dims(2))
            .addStringVal(ByteString.copyFrom(png))
            .addStringVal(ByteString.copyFrom(jpeg))
            .build();

    PredictResponse response =
        prediction.predict(predict("mini").putInputs("images", images).build());

    var classified =
        ClassifierGrpc.newBlockingStub(server.channel())
            .classify(
                Requests.to("mini")
                    .addImages(Requests.encoded(png))
                    .addImages(Requests.encoded(jpeg))
                    .setIncludeLogits(true)
                    .build());
    TensorProto logits = response.getOutputsOrThrow("logits");
    int classes = classified.getClassifications(0).getLogitsCount();
    assertThat(shape(logits)).containsExactly(2L, (long) classes);
    for (int image = 0; image < 2; image++) {
      float[] predicted = new float[classes];
      float[] expected = new float[classes];
      for (int c = 0; c < classes; c++) {
        predicted[c] = logits.getFloatVal(image * classes + c);
        expected[c] = classified.getClassifications(image).getLogits(c);
      }
      // The two calls may run in batches of other sizes: equal up to float rounding.
      assertThat(FixtureRepository.relativeError(predicted, expected))
          .as("image %d", image)
          .isLessThanOrEqualTo(1e-5);
    }
  }

  @Test
  void versionAndVersionLabelSelectTheVersion() {
    FixtureRepository.Reference reference = FixtureRepository.reference(MINI);

    PredictResponse byVersion =
        prediction.predict(
            PredictRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("mini").setVersion(Int64Value.of(2)))
                .putInputs("pixel_values", floatVal(reference))
                .build());
    PredictResponse byLabel =
        prediction.predict(
            PredictRequest.newBuilder()
                .setModelSpec(
                    ModelSpec.newBuilder()
                        .setName("mini")
                        .setVersionLabel("stable")
                        .setSignatureName("serving_default"))
                .putInputs("pixel_values", floatVal(reference))
                .build());

    assertThat(byVersion.getModelSpec().getVersion().getValue()).isEqualTo(2);
    assertThat(byLabel.getModelSpec().getVersion().getValue()).isEqualTo(1);
  }

  @Test
  void badRequestsGetTheirStatusAndAMessageThatSaysWhat() {
    FixtureRepository.Reference reference = FixtureRepository.reference(MINI);
    TensorProto pixels = floatVal(reference);

    assertPredictFails(
        predict("nope").putInputs("pixel_values", pixels), Status.Code.NOT_FOUND, "nope");
    assertPredictFails(
        PredictRequest.newBuilder()
            .setModelSpec(ModelSpec.newBuilder().setName("mini").setVersion(Int64Value.of(9)))
            .putInputs("pixel_values", pixels),
        Status.Code.NOT_FOUND,
        "9");
    assertPredictFails(
        PredictRequest.newBuilder()
            .setModelSpec(ModelSpec.newBuilder().setName("mini").setSignatureName("classify"))
            .putInputs("pixel_values", pixels),
        Status.Code.INVALID_ARGUMENT,
        "serving_default");
    assertPredictFails(
        predict("mini").putInputs("x", pixels), Status.Code.INVALID_ARGUMENT, "'x' is not served");
    assertPredictFails(
        predict("mini").putInputs("pixel_values", pixels).putInputs("images", pixels),
        Status.Code.INVALID_ARGUMENT,
        "exactly one");
    assertPredictFails(
        predict("mini").putInputs("images", pixels), Status.Code.INVALID_ARGUMENT, "DT_STRING");
    assertPredictFails(
        predict("mini")
            .putInputs(
                "pixel_values",
                pixels.toBuilder().setTensorShape(dims(reference.count() + 1, 64, 64, 3)).build()),
        Status.Code.INVALID_ARGUMENT,
        "elements but holds");
    assertPredictFails(
        predict("mini")
            .putInputs(
                "pixel_values",
                pixels.toBuilder().setTensorShape(dims(reference.count(), 64 * 64 * 3)).build()),
        Status.Code.INVALID_ARGUMENT,
        "[batch, height, width, channels]");
    assertPredictFails(
        predict("mini")
            .putInputs(
                "pixel_values",
                pixels.toBuilder().setTensorShape(dims(reference.count(), 32, 128, 3)).build()),
        Status.Code.INVALID_ARGUMENT,
        "takes [64, 64, 3]");
    assertPredictFails(
        predict("mini").putInputs("pixel_values", pixels).addOutputFilter("scores"),
        Status.Code.INVALID_ARGUMENT,
        "'scores'");
    assertPredictFails(
        predict("mini")
            .putInputs(
                "images",
                TensorProto.newBuilder()
                    .setDtype(DataType.DT_STRING)
                    .setTensorShape(dims(1))
                    .addStringVal(ByteString.copyFromUtf8("not an image"))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "image 0");
  }

  @Test
  void predictCallsAreCountedUnderTheirOwnMethod() {
    prediction.predict(
        predict("mini")
            .putInputs("pixel_values", floatVal(FixtureRepository.reference(MINI)))
            .build());

    var metrics =
        MetricsServiceGrpc.newBlockingStub(server.channel())
            .getMetrics(GetMetricsRequest.getDefaultInstance());

    assertThat(metrics.getDistributionsList())
        .anySatisfy(
            series -> {
              assertThat(series.getName()).isEqualTo("request_latency");
              assertThat(series.getLabelsMap())
                  .containsEntry("model", "mini")
                  .containsEntry("status", "OK")
                  .containsEntry("method", "Predict");
              assertThat(series.getCount()).isPositive();
            });
  }

  @Test
  void metadataDescribesTheServingSignature() throws InvalidProtocolBufferException {
    GetModelMetadataResponse response =
        prediction.getModelMetadata(
            GetModelMetadataRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("mini").setVersion(Int64Value.of(2)))
                .addMetadataField("signature_def")
                .build());

    assertThat(response.getModelSpec().getName()).isEqualTo("mini");
    assertThat(response.getModelSpec().getVersion().getValue()).isEqualTo(2);
    var any = response.getMetadataOrThrow("signature_def");
    assertThat(any.getTypeUrl())
        .isEqualTo("type.googleapis.com/tensorflow.serving.SignatureDefMap");
    SignatureDef signature =
        any.unpack(SignatureDefMap.class).getSignatureDefOrThrow("serving_default");
    assertThat(signature.getMethodName()).isEqualTo("tensorflow/serving/predict");
    TensorInfo input = signature.getInputsOrThrow("pixel_values");
    assertThat(input.getDtype()).isEqualTo(DataType.DT_FLOAT);
    assertThat(shape(input.getTensorShape())).containsExactly(-1L, 64L, 64L, 3L);
    int classes =
        ClassifierGrpc.newBlockingStub(server.channel())
            .classify(
                Requests.to("mini")
                    .addImages(Requests.pixels(64, FixtureRepository.reference(MINI).image(0)))
                    .setIncludeLogits(true)
                    .build())
            .getClassifications(0)
            .getLogitsCount();
    assertThat(signature.getOutputsMap()).containsOnlyKeys("logits", "probabilities");
    for (TensorInfo output : signature.getOutputsMap().values()) {
      assertThat(output.getDtype()).isEqualTo(DataType.DT_FLOAT);
      assertThat(shape(output.getTensorShape())).containsExactly(-1L, (long) classes);
    }
  }

  @Test
  void metadataRefusesWhatItDoesNotHave() {
    assertThatThrownBy(
            () ->
                prediction.getModelMetadata(
                    GetModelMetadataRequest.newBuilder()
                        .setModelSpec(ModelSpec.newBuilder().setName("mini"))
                        .addMetadataField("saved_model")
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("signature_def");
            });
    assertThatThrownBy(
            () ->
                prediction.getModelMetadata(
                    GetModelMetadataRequest.newBuilder()
                        .setModelSpec(ModelSpec.newBuilder().setName("nope"))
                        .addMetadataField("signature_def")
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  private static PredictRequest.Builder predict(String model) {
    return PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName(model));
  }

  /** The reference batch as {@code tf.make_tensor_proto(values.tolist())} writes it. */
  private static TensorProto floatVal(FixtureRepository.Reference reference) {
    TensorProto.Builder tensor =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setTensorShape(dims(reference.count(), reference.side(), reference.side(), 3));
    for (int i = 0; i < reference.count(); i++) {
      for (float value : reference.image(i)) {
        tensor.addFloatVal(value);
      }
    }
    return tensor.build();
  }

  /** The reference batch as {@code tf.make_tensor_proto(numpy_array)} writes it. */
  private static TensorProto tensorContent(FixtureRepository.Reference reference) {
    int length = reference.side() * reference.side() * 3;
    ByteBuffer bytes =
        ByteBuffer.allocate(reference.count() * length * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < reference.count(); i++) {
      for (float value : reference.image(i)) {
        bytes.putFloat(value);
      }
    }
    bytes.flip();
    return TensorProto.newBuilder()
        .setDtype(DataType.DT_FLOAT)
        .setTensorShape(dims(reference.count(), reference.side(), reference.side(), 3))
        .setTensorContent(ByteString.copyFrom(bytes))
        .build();
  }

  private static TensorShapeProto dims(long... sizes) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long size : sizes) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(size));
    }
    return shape.build();
  }

  private static List<Long> shape(TensorProto tensor) {
    return shape(tensor.getTensorShape());
  }

  private static List<Long> shape(TensorShapeProto shape) {
    return shape.getDimList().stream().map(TensorShapeProto.Dim::getSize).toList();
  }

  private static void assertMatchesReference(
      PredictResponse response, FixtureRepository.Reference reference) {
    TensorProto logits = response.getOutputsOrThrow("logits");
    assertThat(logits.getDtype()).isEqualTo(DataType.DT_FLOAT);
    List<Long> shape = shape(logits);
    assertThat(shape).hasSize(2);
    assertThat(shape.get(0)).isEqualTo((long) reference.count());
    int classes = (int) shape.get(1).longValue();
    for (int i = 0; i < reference.count(); i++) {
      float[] row = new float[classes];
      for (int c = 0; c < classes; c++) {
        row[c] = logits.getFloatVal(i * classes + c);
      }
      assertThat(FixtureRepository.relativeError(row, reference.logitsOf(i)))
          .as("image %d", i)
          .isLessThanOrEqualTo(1e-4);
    }
  }

  private static void assertPredictFails(
      PredictRequest.Builder request, Status.Code code, String messagePart) {
    assertThatThrownBy(() -> prediction.predict(request.build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(messagePart);
            });
  }
}
