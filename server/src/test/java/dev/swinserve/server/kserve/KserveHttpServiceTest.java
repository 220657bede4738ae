package dev.swinserve.server.kserve;

import static dev.swinserve.server.testing.FixtureRepository.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.swinserve.api.v1.Arm;
import dev.swinserve.api.v1.Endpoint;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.format.testing.Fixtures;
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
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Open Inference Protocol over HTTP/REST on loopback (port 0) on the production modules, with
 * real SavedModels from the fixtures (mini versions 1 and 2, {@code stable} on 1), read as
 * tritonclient.http reads it: JSON, and Triton's binary-data extension.
 */
class KserveHttpServiceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_BYTES = 2 << 20;

  @TempDir static Path repository;
  private static SwinserveServer server;
  private static ManagedChannel channel;
  private static HttpClient http;
  private static String base;
  private static FixtureRepository.Reference reference;

  @BeforeAll
  static void startServer() throws IOException {
    FixtureRepository.addTwoVersionsWithStableLabel(repository, "mini", MINI);
    ServerConfig config =
        TestConfigs.withRepository(
                repository, "http: {port: 0, max_body_bytes: " + MAX_BODY_BYTES + "}")
            .withHost("127.0.0.1");
    Injector injector =
        Guice.createInjector(
            new ServerModule(config), new GrpcModule(), new NettyTransportModule());
    server = injector.getInstance(SwinserveServer.class);
    server.start();
    base = "http://127.0.0.1:" + injector.getInstance(ManagedHttpServer.class).port();
    channel = LoopbackServers.channel(server);
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    reference = FixtureRepository.reference(MINI);
  }

  @AfterAll
  static void stopServer() {
    channel.shutdownNow();
    server.shutdown();
  }

  @Test
  void theServerIsLiveReadyAndSaysWhatItIs() throws Exception {
    assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
    HttpResponse<byte[]> metadata = get("/v2");
    assertThat(metadata.statusCode()).isEqualTo(200);
    assertThat(metadata.headers().firstValue("content-type")).contains("application/json");
    JsonNode json = JSON.readTree(metadata.body());
    assertThat(json.get("name").asText()).isEqualTo("swinserve");
    assertThat(json.get("extensions").toString()).isEqualTo("[\"classification\"]");
  }

  @Test
  void modelReadyIs200Or400AsTritonAnswers() throws Exception {
    assertThat(get("/v2/models/mini/ready").statusCode()).isEqualTo(200);
    assertThat(get("/v2/models/mini/versions/2/ready").statusCode()).isEqualTo(200);
    assertThat(get("/v2/models/mini/versions/9/ready").statusCode())
        .as("no version 9")
        .isEqualTo(400);
    assertThat(get("/v2/models/nope/ready").statusCode()).as("no such model").isEqualTo(400);
    assertError(get("/v2/models/mini/versions/two/ready"), 400, "'two'");
  }

  @Test
  void modelMetadataDescribesTheTensorsWithAnyBatchSize() throws Exception {
    HttpResponse<byte[]> response = get("/v2/models/mini");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode metadata = JSON.readTree(response.body());

    assertThat(metadata.get("name").asText()).isEqualTo("mini");
    assertThat(metadata.get("platform").asText()).isEqualTo("tensorflow_savedmodel");
    assertThat(metadata.get("versions").toString()).isEqualTo("[\"1\",\"2\"]");
    assertThat(metadata.get("inputs").toString())
        .isEqualTo(
            "[{\"name\":\"images\",\"datatype\":\"BYTES\",\"shape\":[-1,1]},"
                + "{\"name\":\"pixels\",\"datatype\":\"FP32\",\"shape\":[-1,64,64,3]}]");
    assertThat(metadata.get("outputs").toString())
        .isEqualTo(
            "[{\"name\":\"logits\",\"datatype\":\"FP32\",\"shape\":[-1,10]},"
                + "{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,10]}]");
    JsonNode version2 = JSON.readTree(get("/v2/models/mini/versions/2").body());
    assertThat(version2.get("versions").toString()).isEqualTo("[\"2\"]");
    assertError(get("/v2/models/nope"), 404, "nope");
  }

  @Test
  void jsonPixelsNestedOrFlatReproduceTheReferenceLogits() throws Exception {
    List<float[]> images = referenceImages();
    ObjectNode request = JSON.createObjectNode().put("id", "parity");
    ObjectNode input = pixelsInput(request, images.size());
    ArrayNode nested = input.putArray("data");
    for (float[] image : images) {
      ArrayNode rows = nested.addArray();
      for (int y = 0; y < reference.side(); y++) {
        ArrayNode row = rows.addArray();
        for (int x = 0; x < reference.side(); x++) {
          ArrayNode pixel = row.addArray();
          for (int c = 0; c < 3; c++) {
            pixel.add(image[(y * reference.side() + x) * 3 + c]);
          }
        }
      }
    }

    HttpResponse<byte[]> response = post("/v2/models/mini/infer", request);

    assertThat(response.statusCode())
        .as(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    assertThat(response.headers().firstValue("Inference-Header-Content-Length")).isEmpty();
    JsonNode json = JSON.readTree(response.body());
    assertThat(json.get("id").asText()).isEqualTo("parity");
    assertThat(json.get("model_name").asText()).isEqualTo("mini");
    assertThat(json.get("model_version").asText())
        .as("stable is 1, though 2 is newer")
        .isEqualTo("1");
    JsonNode logits = json.get("outputs").get(0);
    assertThat(logits.get("name").asText()).isEqualTo("logits");
    assertThat(logits.get("datatype").asText()).isEqualTo("FP32");
    assertThat(logits.get("shape").toString()).isEqualTo("[" + images.size() + ",10]");
    JsonNode probabilities = json.get("outputs").get(1);
    for (int i = 0; i < images.size(); i++) {
      float[] row = new float[10];
      double sum = 0;
      for (int j = 0; j < 10; j++) {
        row[j] = logits.get("data").get(i * 10 + j).floatValue();
        sum += probabilities.get("data").get(i * 10 + j).doubleValue();
      }
      assertThat(FixtureRepository.relativeError(row, reference.logitsOf(i)))
          .isLessThanOrEqualTo(1e-4);
      assertThat(sum).isCloseTo(1.0, offset(1e-5));
    }

    // The same request with the data flat answers the same.
    ArrayNode flat = JSON.createArrayNode();
    images.forEach(
        image -> {
          for (float value : image) {
            flat.add(value);
          }
        });
    input.set("data", flat);
    JsonNode again = JSON.readTree(post("/v2/models/mini/infer", request).body());
    assertThat(again.get("outputs").get(0).get("data")).isEqualTo(logits.get("data"));
  }

  @Test
  void binaryPixelsGoToTheVersionInThePathAndAnswerInBinary() throws Exception {
    List<float[]> images = referenceImages();
    ObjectNode request = JSON.createObjectNode();
    ByteBuffer raw =
        ByteBuffer.allocate(images.size() * images.get(0).length * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
    images.forEach(
        image -> {
          for (float value : image) {
            raw.putFloat(value);
          }
        });
    pixelsInput(request, images.size())
        .putObject("parameters")
        .put("binary_data_size", raw.capacity());
    request.putObject("parameters").put("binary_data_output", true);

    HttpResponse<byte[]> response =
        postBinary("/v2/models/mini/versions/2/infer", request, raw.array());

    assertThat(response.statusCode())
        .as(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    Binary answer = Binary.of(response);
    assertThat(answer.json().get("model_version").asText()).isEqualTo("2");
    float[] logits = answer.floats("logits");
    for (int i = 0; i < images.size(); i++) {
      float[] row = java.util.Arrays.copyOfRange(logits, i * 10, i * 10 + 10);
      assertThat(FixtureRepository.relativeError(row, reference.logitsOf(i)))
          .isLessThanOrEqualTo(1e-4);
    }
    assertThat(answer.floats("probabilities")).hasSize(images.size() * 10);
  }

  @Test
  void binaryEncodedImagesAnswerAsJsonPixelsOfTheSameImagesDo() throws Exception {
    List<byte[]> images =
        List.of(
            Files.readAllBytes(Fixtures.image("chelsea.png")),
            Files.readAllBytes(Fixtures.image("rocket.jpg")));
    byte[] raw = InferRequests.rawEncoded(images).toByteArray();
    ObjectNode request = JSON.createObjectNode();
    ObjectNode input = request.putArray("inputs").addObject();
    input.put("name", "images").put("datatype", "BYTES");
    input.putArray("shape").add(images.size()).add(1);
    input.putObject("parameters").put("binary_data_size", raw.length);
    ArrayNode outputs = request.putArray("outputs");
    outputs.addObject().put("name", "logits").putObject("parameters").put("binary_data", true);
    outputs
        .addObject()
        .put("name", "probabilities")
        .putObject("parameters")
        .put("classification", 3);

    HttpResponse<byte[]> response = postBinary("/v2/models/mini/infer", request, raw);

    assertThat(response.statusCode())
        .as(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    Binary answer = Binary.of(response);
    float[] logits = answer.floats("logits");
    assertThat(logits).hasSize(20);
    JsonNode classes = answer.json().get("outputs").get(1);
    assertThat(classes.get("datatype").asText()).isEqualTo("BYTES");
    assertThat(classes.get("shape").toString()).isEqualTo("[2,3]");
    for (int i = 0; i < images.size(); i++) {
      String best = classes.get("data").get(i * 3).asText();
      String[] parts = best.split(":", 3);
      int index = Integer.parseInt(parts[1]);
      assertThat(parts[2]).isEqualTo("class_" + index);
      for (int j = 0; j < 10; j++) {
        assertThat(logits[i * 10 + j]).isLessThanOrEqualTo(logits[i * 10 + index]);
      }
    }
  }

  @Test
  void anAbEndpointNameGoesThroughTheRouter() throws Exception {
    ModelServiceGrpc.newBlockingStub(channel)
        .setEndpoint(Endpoint.newBuilder().setName("ab").addArms(arm(1)).addArms(arm(2)).build());
    ObjectNode request = JSON.createObjectNode();
    pixelsInput(request, 1).set("data", floats(reference.image(0)));

    List<String> versions = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      JsonNode json = JSON.readTree(post("/v2/models/ab/infer", request).body());
      assertThat(json.get("model_name").asText()).isEqualTo("mini");
      versions.add(json.get("model_version").asText());
    }

    assertThat(versions).isSubsetOf("1", "2");
    assertThat(get("/v2/models/ab/ready").statusCode()).isEqualTo(200);
    assertError(post("/v2/models/ab/versions/1/infer", request), 400, "endpoint");
  }

  @Test
  void errorsAreJsonWithTheStatusOfTheirGrpcCode() throws Exception {
    ObjectNode request = JSON.createObjectNode();
    pixelsInput(request, 1).set("data", floats(reference.image(0)));
    assertError(post("/v2/models/nope/infer", request), 404, "nope");

    ObjectNode input = pixelsInput(request, 2);
    input.set("data", floats(reference.image(0)));
    assertError(
        post("/v2/models/mini/infer", request), 400, "input 'pixels' has shape [2, 64, 64, 3]");
    input.putArray("data").add("one");
    assertError(
        post("/v2/models/mini/infer", request), 400, "input 'pixels' is FP32 but element 0");
    assertError(
        send(
            "/v2/models/mini/infer",
            "POST",
            "{\"inputs\": [".getBytes(StandardCharsets.UTF_8),
            null),
        400,
        "not valid JSON");
    assertError(get("/v2/models/mini/infer"), 405, "POST");
    assertError(get("/v2/elsewhere"), 404, "routes");
    pixelsInput(request, 1).set("data", floats(reference.image(0)));
    request.putObject("parameters").put("timeout", 1);
    assertError(post("/v2/models/mini/infer", request), 504, "deadline");
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    try (RawConnection connection = new RawConnection(base)) {
      RawConnection.Response response =
          connection.exchange(
              "POST /v2/models/mini/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + (MAX_BODY_BYTES + 1)
                  + "\r\n\r\n{");
      assertThat(response.status()).isEqualTo(413);
      assertThat(response.body()).contains("\"error\"", "max_body_bytes");
    }
  }

  @Test
  void oneConnectionCarriesRequestAfterRequest() throws Exception {
    try (RawConnection connection = new RawConnection(base)) {
      String live = "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n";
      assertThat(connection.exchange(live).status()).isEqualTo(200);
      RawConnection.Response metadata =
          connection.exchange("GET /v2/models/mini HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(metadata.status()).isEqualTo(200);
      assertThat(metadata.body()).contains("\"name\":\"mini\"");
      assertThat(connection.exchange(live).status()).isEqualTo(200);
    }
  }

  private static Arm arm(long version) {
    return Arm.newBuilder()
        .setModel(ModelSpec.newBuilder().setName("mini").setVersion(version))
        .setWeight(1)
        .build();
  }

  private static ObjectNode pixelsInput(ObjectNode request, int count) {
    ObjectNode input = JSON.createObjectNode();
    request.putArray("inputs").add(input);
    input.put("name", "pixels").put("datatype", "FP32");
    input.putArray("shape").add(count).add(reference.side()).add(reference.side()).add(3);
    return input;
  }

  private static ArrayNode floats(float[] values) {
    ArrayNode array = JSON.createArrayNode();
    for (float value : values) {
      array.add(value);
    }
    return array;
  }

  private static List<float[]> referenceImages() {
    List<float[]> images = new ArrayList<>();
    for (int i = 0; i < reference.count(); i++) {
      images.add(reference.image(i));
    }
    return images;
  }

  private static HttpResponse<byte[]> get(String path) throws Exception {
    return send(path, "GET", null, null);
  }

  private static HttpResponse<byte[]> post(String path, JsonNode json) throws Exception {
    return send(path, "POST", JSON.writeValueAsBytes(json), null);
  }

  /** JSON, then {@code raw}, as tritonclient sends binary data. */
  private static HttpResponse<byte[]> postBinary(String path, JsonNode json, byte[] raw)
      throws Exception {
    byte[] header = JSON.writeValueAsBytes(json);
    byte[] body = new byte[header.length + raw.length];
    System.arraycopy(header, 0, body, 0, header.length);
    System.arraycopy(raw, 0, body, header.length, raw.length);
    return send(path, "POST", body, header.length);
  }

  private static HttpResponse<byte[]> send(
      String path, String method, byte[] body, Integer headerLength) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (headerLength != null) {
      request.header("Inference-Header-Content-Length", headerLength.toString());
      request.header("Content-Type", "application/octet-stream");
    } else if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void assertError(HttpResponse<byte[]> response, int status, String messagePart)
      throws IOException {
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertThat(response.statusCode()).as(body).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    assertThat(JSON.readTree(response.body()).get("error").asText()).contains(messagePart);
  }

  /** A binary answer, read as tritonclient's InferResult reads it. */
  private record Binary(JsonNode json, byte[] body, int headerLength) {

    static Binary of(HttpResponse<byte[]> response) throws IOException {
      int length =
          Integer.parseInt(
              response.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
      return new Binary(
          JSON.readTree(java.util.Arrays.copyOf(response.body(), length)), response.body(), length);
    }

    float[] floats(String name) {
      int offset = headerLength;
      for (JsonNode output : json.get("outputs")) {
        JsonNode size = output.path("parameters").get("binary_data_size");
        if (output.get("name").asText().equals(name)) {
          assertThat(output.has("data")).as("binary output has no data").isFalse();
          ByteBuffer buffer =
              ByteBuffer.wrap(body, offset, size.asInt()).slice().order(ByteOrder.LITTLE_ENDIAN);
          float[] values = new float[size.asInt() / Float.BYTES];
          buffer.asFloatBuffer().get(values);
          return values;
        }
        if (size != null) {
          offset += size.asInt();
        }
      }
      throw new AssertionError("no output " + name + " in " + json);
    }
  }
}
