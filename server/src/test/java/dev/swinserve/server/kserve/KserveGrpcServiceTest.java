package dev.swinserve.server.kserve;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import com.google.common.primitives.Floats;
import dev.swinserve.api.kserve.GRPCInferenceServiceGrpc;
import dev.swinserve.api.kserve.InferParameter;
import dev.swinserve.api.kserve.ModelInferRequest;
import dev.swinserve.api.kserve.ModelInferResponse;
import dev.swinserve.api.kserve.ModelMetadataRequest;
import dev.swinserve.api.kserve.ModelMetadataResponse;
import dev.swinserve.api.kserve.ModelMetadataResponse.TensorMetadata;
import dev.swinserve.api.kserve.ModelReadyRequest;
import dev.swinserve.api.kserve.ServerLiveRequest;
import dev.swinserve.api.kserve.ServerMetadataRequest;
import dev.swinserve.api.kserve.ServerMetadataResponse;
import dev.swinserve.api.kserve.ServerReadyRequest;
import dev.swinserve.api.v1.Arm;
import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.Endpoint;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.format.testing.Fixtures;
import dev.swinserve.server.SwinserveServer;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.LoopbackServers;
import dev.swinserve.server.testing.Requests;
import dev.swinserve.server.testing.TestConfigs;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * inference.GRPCInferenceService over loopback TCP (port 0) on the production modules, on real
 * SavedModels made from the fixtures: mini versions 1 and 2, {@code stable} on 1.
 */
class KserveGrpcServiceTest {

  @TempDir static Path repository;
  private static SwinserveServer server;
  private static ManagedChannel channel;
  private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference;
  private static FixtureRepository.Reference reference;

  @BeforeAll
  static void startServer() throws IOException {
    FixtureRepository.addTwoVersionsWithStableLabel(repository, "mini", MINI);
    ServerConfig config = TestConfigs.withRepository(repository).withHost("127.0.0.1");
    server = LoopbackServers.start(config);
    channel = LoopbackServers.channel(server);
    inference = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    reference = FixtureRepository.reference(MINI);
  }

  @AfterAll
  static void stopServer() {
    channel.shutdownNow();
    server.shutdown();
  }

  @Test
  void theServerIsLiveReadyAndSaysWhatItIs() {
    assertThat(inference.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(inference.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    ServerMetadataResponse metadata =
        inference.serverMetadata(ServerMetadataRequest.getDefaultInstance());
    assertThat(metadata.getName()).isEqualTo("swinserve");
    assertThat(metadata.getExtensionsList()).containsExactly("classification");
  }

  @Test
  void modelReadyAnswersForModelsAndVersionsAndFalseForUnknownOnes() {
    assertThat(ready("mini", "")).isTrue();
    assertThat(ready("mini", "2")).isTrue();
    assertThat(ready("mini", "9")).as("no version 9").isFalse();
    assertThat(ready("nope", "")).as("no such model").isFalse();
    assertStatus(() -> ready("mini", "two"), Status.Code.INVALID_ARGUMENT, "'two'");
  }

  @Test
  void modelMetadataDescribesTheTensorsWithAnyBatchSize() {
    ModelMetadataResponse metadata =
        inference.modelMetadata(ModelMetadataRequest.newBuilder().setName("mini").build());

    assertThat(metadata.getName()).isEqualTo("mini");
    assertThat(metadata.getPlatform()).isEqualTo("tensorflow_savedmodel");
    assertThat(metadata.getVersionsList()).containsExactly("1", "2");
    assertThat(metadata.getInputsList())
        .containsExactly(tensor("images", "BYTES", -1, 1), tensor("pixels", "FP32", -1, 64, 64, 3));
    assertThat(metadata.getOutputsList())
        .containsExactly(tensor("logits", "FP32", -1, 10), tensor("probabilities", "FP32", -1, 10));
    assertThat(
            inference
                .modelMetadata(
                    ModelMetadataRequest.newBuilder().setName("mini").setVersion("2").build())
                .getVersionsList())
        .containsExactly("2");
    assertStatus(
        () -> inference.modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()),
        Status.Code.NOT_FOUND,
        "nope");
  }

  @Test
  void typedPixelsReproduceTheReferenceLogitsOnTheDefaultVersion() {
    List<float[]> images = referenceImages();
    ModelInferResponse response =
        inference.modelInfer(
            InferRequests.to("mini")
                .setId("parity")
                .addInputs(InferRequests.pixels(reference.side(), images))
                .build());

    assertThat(response.getId()).isEqualTo("parity");
    assertThat(response.getModelName()).isEqualTo("mini");
    assertThat(response.getModelVersion()).as("stable is 1, though 2 is newer").isEqualTo("1");
    assertThat(response.getOutputsList())
        .extracting(ModelInferResponse.InferOutputTensor::getName)
        .containsExactly("logits", "probabilities");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly((long) images.size(), 10L);
    float[][] logits = InferRequests.output(response, "logits");
    float[][] probabilities = InferRequests.output(response, "probabilities");
    for (int i = 0; i < images.size(); i++) {
      assertThat(FixtureRepository.relativeError(logits[i], reference.logitsOf(i)))
          .isLessThanOrEqualTo(1e-4);
      double sum = 0;
      for (float probability : probabilities[i]) {
        sum += probability;
      }
      assertThat(sum).isCloseTo(1.0, offset(1e-5));
    }
  }

  @Test
  void rawPixelsGoToTheVersionOrLabelAskedForAndOnlyTheOutputsAskedFor() {
    List<float[]> images = referenceImages();
    ModelInferRequest.Builder request =
        InferRequests.to("mini")
            .addInputs(InferRequests.pixelsShape(reference.side(), images.size()))
            .addRawInputContents(InferRequests.rawPixels(images))
            .addOutputs(
                ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("logits"));

    ModelInferResponse byVersion = inference.modelInfer(request.setModelVersion("2").build());
    ModelInferResponse byLabel =
        inference.modelInfer(
            request
                .setModelVersion("")
                .putParameters("label", InferRequests.string("stable"))
                .build());

    assertThat(byVersion.getModelVersion()).isEqualTo("2");
    assertThat(byLabel.getModelVersion()).isEqualTo("1");
    assertThat(byVersion.getOutputsList())
        .extracting(ModelInferResponse.InferOutputTensor::getName)
        .containsExactly("logits");
    float[][] logits = InferRequests.output(byVersion, "logits");
    for (int i = 0; i < images.size(); i++) {
      assertThat(FixtureRepository.relativeError(logits[i], reference.logitsOf(i)))
          .isLessThanOrEqualTo(1e-4);
    }
  }

  @Test
  void encodedImagesTypedOrRawAnswerAsTheClassifierDoes() throws IOException {
    List<byte[]> images =
        List.of(
            Files.readAllBytes(Fixtures.image("chelsea.png")),
            Files.readAllBytes(Fixtures.image("rocket.jpg")));

    float[][] typed =
        InferRequests.output(
            inference.modelInfer(
                InferRequests.to("mini").addInputs(InferRequests.encoded(images)).build()),
            "logits");
    float[][] raw =
        InferRequests.output(
            inference.modelInfer(
                InferRequests.to("mini")
                    .addInputs(
                        ModelInferRequest.InferInputTensor.newBuilder()
                            .setName("images")
                            .setDatatype("BYTES")
                            .addShape(images.size())
                            .addShape(1))
                    .addRawInputContents(InferRequests.rawEncoded(images))
                    .build()),
            "logits");

    for (int i = 0; i < images.size(); i++) {
      List<Float> expected =
          ClassifierGrpc.newBlockingStub(channel)
              .classify(
                  Requests.to("mini")
                      .setIncludeLogits(true)
                      .addImages(Requests.encoded(images.get(i)))
                      .build())
              .getClassifications(0)
              .getLogitsList();
      // The batch of two may pad and round differently from the classifier's batch of one.
      assertThat(FixtureRepository.relativeError(typed[i], Floats.toArray(expected)))
          .isLessThanOrEqualTo(1e-5);
      assertThat(raw[i]).containsExactly(typed[i]);
    }
  }

  @Test
  void theClassificationExtensionAnswersTheTopClassesBestFirst() {
    ModelInferRequest request =
        InferRequests.to("mini")
            .addInputs(InferRequests.pixels(reference.side(), List.of(reference.image(0))))
            .addOutputs(
                ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                    .setName("probabilities")
                    .putParameters(
                        "classification", InferParameter.newBuilder().setInt64Param(3).build()))
            .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("logits"))
            .build();

    ModelInferResponse response = inference.modelInfer(request);

    assertThat(response.getOutputs(0).getDatatype()).isEqualTo("BYTES");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(1L, 3L);
    float[] logits = InferRequests.output(response, "logits")[0];
    List<String> classes = InferRequests.strings(response.getRawOutputContents(0));
    assertThat(classes).hasSize(3);
    double previous = Double.MAX_VALUE;
    for (String element : classes) {
      String[] parts = element.split(":", 3);
      int index = Integer.parseInt(parts[1]);
      assertThat(parts[2]).isEqualTo("class_" + index);
      double probability = Double.parseDouble(parts[0]);
      assertThat(probability).isLessThanOrEqualTo(previous);
      previous = probability;
    }
    int best = Integer.parseInt(classes.get(0).split(":", 3)[1]);
    for (float logit : logits) {
      assertThat(logit).isLessThanOrEqualTo(logits[best]);
    }
  }

  @Test
  void anEndpointNameGoesThroughTheRouter() {
    ModelServiceGrpc.newBlockingStub(channel)
        .setEndpoint(
            Endpoint.newBuilder()
                .setName("front")
                .addArms(
                    Arm.newBuilder()
                        .setModel(ModelSpec.newBuilder().setName("mini").setVersion(2))
                        .setWeight(1))
                .build());
    ModelInferRequest.Builder request =
        InferRequests.to("front")
            .addInputs(InferRequests.pixels(reference.side(), List.of(reference.image(0))));

    ModelInferResponse response = inference.modelInfer(request.build());

    assertThat(response.getModelName()).isEqualTo("mini");
    assertThat(response.getModelVersion()).isEqualTo("2");
    assertThat(ready("front", "")).isTrue();
    assertStatus(
        () -> inference.modelInfer(request.setModelVersion("1").build()),
        Status.Code.INVALID_ARGUMENT,
        "endpoint");
  }

  @Test
  void badRequestsGetTheirStatusAndAMessageNamingWhatIsWrong() {
    var pixels = InferRequests.pixels(reference.side(), List.of(reference.image(0)));
    assertInfer(InferRequests.to("nope").addInputs(pixels), Status.Code.NOT_FOUND, "nope");
    assertInfer(
        InferRequests.to("mini").setModelVersion("9").addInputs(pixels),
        Status.Code.NOT_FOUND,
        "9");
    assertInfer(
        InferRequests.to("mini").setModelVersion("latest").addInputs(pixels),
        Status.Code.INVALID_ARGUMENT,
        "'latest'");
    assertInfer(InferRequests.to("").addInputs(pixels), Status.Code.INVALID_ARGUMENT, "model_name");
    assertInfer(
        InferRequests.to("mini").addInputs(pixels.toBuilder().setDatatype("INT32")),
        Status.Code.INVALID_ARGUMENT,
        "input 'pixels' is INT32");
    assertInfer(
        InferRequests.to("mini").addInputs(pixels.toBuilder().setShape(0, 2)),
        Status.Code.INVALID_ARGUMENT,
        "input 'pixels' has shape [2, 64, 64, 3]");
    assertInfer(
        InferRequests.to("mini").addInputs(pixels.toBuilder().clearShape().addShape(1)),
        Status.Code.INVALID_ARGUMENT,
        "[N, H, W, 3]");
    assertInfer(
        InferRequests.to("mini").addInputs(pixels).addInputs(pixels),
        Status.Code.INVALID_ARGUMENT,
        "holds 2");
    assertInfer(
        InferRequests.to("mini")
            .addInputs(pixels)
            .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("top")),
        Status.Code.INVALID_ARGUMENT,
        "output 'top'");
    var encoded = InferRequests.rawEncoded(List.of(new byte[] {1, 2, 3, 4, 5}));
    assertInfer(
        InferRequests.to("mini")
            .addInputs(
                ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("jpegs")
                    .setDatatype("BYTES")
                    .addShape(1))
            .addRawInputContents(encoded.substring(0, encoded.size() - 1)),
        Status.Code.INVALID_ARGUMENT,
        "input 'jpegs'");
    assertInfer(
        InferRequests.to("mini").addInputs(InferRequests.encoded(List.of(new byte[] {1, 2, 3}))),
        Status.Code.INVALID_ARGUMENT,
        "image 0");
  }

  private static List<float[]> referenceImages() {
    List<float[]> images = new ArrayList<>();
    for (int i = 0; i < reference.count(); i++) {
      images.add(reference.image(i));
    }
    return images;
  }

  private static boolean ready(String model, String version) {
    return inference
        .modelReady(ModelReadyRequest.newBuilder().setName(model).setVersion(version).build())
        .getReady();
  }

  private static TensorMetadata tensor(String name, String datatype, long... shape) {
    TensorMetadata.Builder tensor = TensorMetadata.newBuilder().setName(name).setDatatype(datatype);
    for (long size : shape) {
      tensor.addShape(size);
    }
    return tensor.build();
  }

  private static void assertInfer(
      ModelInferRequest.Builder request, Status.Code code, String messagePart) {
    assertStatus(() -> inference.modelInfer(request.build()), code, messagePart);
  }

  private static void assertStatus(ThrowingCallable call, Status.Code code, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(messagePart);
            });
  }
}
