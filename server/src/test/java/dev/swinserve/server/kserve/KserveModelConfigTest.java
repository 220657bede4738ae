package dev.swinserve.server.kserve;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.swinserve.api.kserve.DataType;
import dev.swinserve.api.kserve.GRPCInferenceServiceGrpc;
import dev.swinserve.api.kserve.ModelConfig;
import dev.swinserve.api.kserve.ModelConfigRequest;
import dev.swinserve.api.kserve.ModelInput;
import dev.swinserve.api.kserve.ModelOutput;
import dev.swinserve.api.v1.Arm;
import dev.swinserve.api.v1.Endpoint;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.server.GrpcModule;
import dev.swinserve.server.NettyTransportModule;
import dev.swinserve.server.ServerModule;
import dev.swinserve.server.SwinserveServer;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.http.ManagedHttpServer;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.LoopbackServers;
import dev.swinserve.server.testing.TestConfigs;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triton's model configuration over gRPC ({@code ModelConfig}) and HTTP ({@code GET .../config}) on
 * the production modules and loopback ports, for real SavedModels from the fixtures (mini versions
 * 1 and 2, {@code stable} on 1), batched up to 4 images with 7 ms of waiting for company: what
 * perf_analyzer and tritonclient read before they send anything.
 */
class KserveModelConfigTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path repository;
  private static SwinserveServer server;
  private static ManagedChannel channel;
  private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference;
  private static HttpClient http;
  private static String base;

  @BeforeAll
  static void startServer() throws IOException {
    FixtureRepository.addTwoVersionsWithStableLabel(repository, "mini", MINI);
    ServerConfig config =
        TestConfigs.withRepository(
                repository,
                "http: {port: 0}",
                "runtime: {batching: {max_batch_size: 4, allowed_batch_sizes: [2, 4],"
                    + " max_queue_delay_ms: 7}}")
            .withHost("127.0.0.1");
    Injector injector =
        Guice.createInjector(
            new ServerModule(config), new GrpcModule(), new NettyTransportModule());
    server = injector.getInstance(SwinserveServer.class);
    server.start();
    base = "http://127.0.0.1:" + injector.getInstance(ManagedHttpServer.class).port();
    channel = LoopbackServers.channel(server);
    inference = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stopServer() {
    channel.shutdownNow();
    server.shutdown();
  }

  @Test
  void grpcDescribesTheTensorsWithoutTheBatchDimensionAndTheBatching() {
    ModelConfig config = config("mini", "");

    assertThat(config.getName()).isEqualTo("mini");
    assertThat(config.getPlatform()).isEqualTo("tensorflow_savedmodel");
    assertThat(config.getBackend()).isEqualTo("tensorflow");
    assertThat(config.getMaxBatchSize()).isEqualTo(4);
    assertThat(config.getInputList())
        .as("either input may be left out: a request carries exactly one")
        .containsExactly(
            ModelInput.newBuilder()
                .setName("images")
                .setDataType(DataType.TYPE_STRING)
                .addDims(1)
                .setOptional(true)
                .build(),
            ModelInput.newBuilder()
                .setName("pixels")
                .setDataType(DataType.TYPE_FP32)
                .addDims(64)
                .addDims(64)
                .addDims(3)
                .setOptional(true)
                .build());
    assertThat(config.getOutputList()).containsExactly(output("logits"), output("probabilities"));
    assertThat(config.getDynamicBatching().getPreferredBatchSizeList()).containsExactly(2, 4);
    assertThat(config.getDynamicBatching().getMaxQueueDelayMicroseconds()).isEqualTo(7000);
    assertThat(config("mini", "2").getMaxBatchSize()).isEqualTo(4);
  }

  @Test
  void grpcAnswersNotFoundForAnUnknownModelOrVersion() {
    assertStatus("nope", "", Status.Code.NOT_FOUND, "nope");
    assertStatus("mini", "9", Status.Code.NOT_FOUND, "9");
    assertStatus("mini", "two", Status.Code.INVALID_ARGUMENT, "'two'");
  }

  @Test
  void anEndpointHasItsFirstArmsConfigurationUnderItsOwnName() {
    ModelServiceGrpc.newBlockingStub(channel)
        .setEndpoint(
            Endpoint.newBuilder()
                .setName("front")
                .addArms(
                    Arm.newBuilder()
                        .setModel(ModelSpec.newBuilder().setName("mini").setVersion(2))
                        .setWeight(1))
                .build());

    ModelConfig config = config("front", "");

    assertThat(config.getName()).isEqualTo("front");
    assertThat(config.toBuilder().setName("mini").build()).isEqualTo(config("mini", "2"));
  }

  @Test
  void httpAnswersTheConfigurationAtTheTopLevelAsTritonDoes() throws Exception {
    HttpResponse<String> response = get("/v2/models/mini/config");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    JsonNode config = JSON.readTree(response.body());

    assertThat(config.get("name").asText()).isEqualTo("mini");
    assertThat(config.get("platform").asText()).isEqualTo("tensorflow_savedmodel");
    assertThat(config.get("backend").asText()).isEqualTo("tensorflow");
    assertThat(config.get("max_batch_size").isInt()).isTrue();
    assertThat(config.get("max_batch_size").asInt()).isEqualTo(4);
    JsonNode pixels = config.get("input").get(1);
    assertThat(pixels.get("name").asText()).isEqualTo("pixels");
    assertThat(pixels.get("data_type").asText()).isEqualTo("TYPE_FP32");
    assertThat(pixels.get("dims").toString())
        .as("numbers, as Triton writes")
        .isEqualTo("[64,64,3]");
    assertThat(pixels.get("optional").asBoolean()).isTrue();
    JsonNode images = config.get("input").get(0);
    assertThat(images.get("data_type").asText()).isEqualTo("TYPE_STRING");
    assertThat(images.get("dims").toString()).isEqualTo("[1]");
    assertThat(images.get("optional").asBoolean()).isTrue();
    assertThat(config.get("output").toString())
        .isEqualTo(
            "[{\"name\":\"logits\",\"data_type\":\"TYPE_FP32\",\"dims\":[10]},"
                + "{\"name\":\"probabilities\",\"data_type\":\"TYPE_FP32\",\"dims\":[10]}]");
    assertThat(config.get("dynamic_batching").toString())
        .isEqualTo("{\"preferred_batch_size\":[2,4],\"max_queue_delay_microseconds\":7000}");
    assertThat(JSON.readTree(get("/v2/models/mini/versions/2/config").body()).get("name").asText())
        .isEqualTo("mini");
  }

  @Test
  void httpAnswers404ForAnUnknownModelOrVersion() throws Exception {
    assertError(get("/v2/models/nope/config"), 404, "nope");
    assertError(get("/v2/models/mini/versions/9/config"), 404, "9");
  }

  private static ModelConfig config(String name, String version) {
    return inference
        .modelConfig(ModelConfigRequest.newBuilder().setName(name).setVersion(version).build())
        .getConfig();
  }

  private static ModelOutput output(String name) {
    return ModelOutput.newBuilder()
        .setName(name)
        .setDataType(DataType.TYPE_FP32)
        .addDims(10)
        .build();
  }

  private static void assertStatus(
      String name, String version, Status.Code code, String messagePart) {
    assertThatThrownBy(() -> config(name, version))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(messagePart);
            });
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static void assertError(HttpResponse<String> response, int status, String messagePart)
      throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(JSON.readTree(response.body()).get("error").asText()).contains(messagePart);
  }
}
