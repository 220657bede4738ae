package dev.swinserve.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swinserve.api.v1.ClassScore;
import dev.swinserve.api.v1.Classification;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.ModelStatus;
import dev.swinserve.api.v1.VersionState;
import dev.swinserve.api.v1.VersionStatus;
import dev.swinserve.client.ClientConfig;
import dev.swinserve.client.ClientTls;
import dev.swinserve.client.ModelServiceClient;
import dev.swinserve.client.SwinserveClient;
import dev.swinserve.client.resilience.RetryConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The Java client ({@code client/}) through {@code clients/conformance/cases.json}, the file every
 * SDK runs: one test per case, against a real {@code swinserve serve} this runner starts (and the
 * {@link ProbeServer} for the resilience cases).
 */
class JavaClientConformanceTest {

  private static final Duration CALL = Duration.ofSeconds(30);
  private static final Duration STREAM = Duration.ofMinutes(5);

  private ConformanceEnvironment environment;
  private ConformanceExpected expected;
  private Path work;
  private ConformanceServer server;
  private ConformanceRequests requests;

  @TestFactory
  Stream<DynamicTest> everyCase() throws IOException {
    environment = ConformanceEnvironment.get();
    expected = ConformanceExpected.read(environment.expected());
    requests = new ConformanceRequests(expected, CALL);
    work = Files.createDirectories(environment.work().resolve("java"));
    JsonNode cases = new ObjectMapper().readTree(environment.cases().toFile()).get("cases");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode testCase : cases) {
      tests.add(DynamicTest.dynamicTest(testCase.get("id").asText(), () -> run(testCase)));
    }
    return tests.stream().onClose(this::stopServer);
  }

  private void run(JsonNode testCase) throws Exception {
    switch (testCase.get("kind").asText()) {
      case "health" -> health(testCase);
      case "models" -> models(testCase);
      case "classify" -> classify(testCase);
      case "classify_each" -> classifyEach(testCase);
      case "set_label" -> setLabel(testCase);
      case "classify_error" -> classifyError(testCase);
      case "stream" -> stream(testCase, false);
      case "stream_restart" -> stream(testCase, true);
      case "failover" -> failover(testCase);
      case "probe" -> probe(testCase);
      case "breaker" -> breaker(testCase);
      case "tls" -> tls(testCase);
      default -> fail("unknown kind " + testCase.get("kind"));
    }
  }

  // --- the kinds ---

  private void health(JsonNode testCase) throws Exception {
    try (ModelServiceClient models = ModelServiceClient.connect(server().target())) {
      assertThat(models.health("", CALL).name())
          .isEqualTo(testCase.get("expect").get("status").asText());
    }
  }

  private void models(JsonNode testCase) throws Exception {
    JsonNode expect = testCase.get("expect");
    try (ModelServiceClient models = ModelServiceClient.connect(server().target())) {
      ModelStatus model =
          models.listModels(CALL).stream()
              .filter(status -> status.getName().equals(expect.get("model").asText()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no model " + expect.get("model")));
      assertThat(
              model.getVersionsList().stream()
                  .filter(version -> version.getState() == VersionState.AVAILABLE)
                  .map(VersionStatus::getVersion)
                  .toList())
          .containsExactlyInAnyOrderElementsOf(longs(expect.get("available_versions")));
      assertThat(model.getLabelsMap()).isEqualTo(labels(expect.get("labels")));
      assertThat(model.getDefaultVersion()).isEqualTo(expect.get("default_version").asLong());
    }
  }

  private void classify(JsonNode testCase) throws Exception {
    JsonNode request = testCase.get("request");
    JsonNode expect = testCase.get("expect");
    List<Integer> rows = requests.rows(request);
    try (SwinserveClient client = SwinserveClient.connect(server().target())) {
      ClassifyResponse response = client.classify(requests.request(request, rows, "unary"), CALL);
      List<Classification> answers = response.getClassificationsList();
      if (expect.has("version")) {
        assertThat(response.getModel().getVersion()).isEqualTo(expect.get("version").asLong());
      }
      if (expect.has("logits")) {
        List<float[]> references =
            switch (expect.get("logits").asText()) {
              case "reference_logits" ->
                  rows.stream().map(expected.referenceLogits()::get).toList();
              case "image_pixel_logits" -> requests.imagePixelLogits(client, request);
              default -> throw new AssertionError("unknown logits " + expect.get("logits"));
            };
        double bar = requests.bar(expect.get("max_relative_error"));
        assertThat(answers).hasSameSizeAs(references);
        for (int i = 0; i < answers.size(); i++) {
          List<Float> logits = answers.get(i).getLogitsList();
          assertThat(ConformanceExpected.relativeError(logits, references.get(i)))
              .as("image %d", i)
              .isLessThanOrEqualTo(bar);
          if (expect.path("same_top_class").asBoolean()) {
            assertThat(ConformanceExpected.argmax(logits))
                .as("image %d", i)
                .isEqualTo(ConformanceExpected.argmax(references.get(i)));
          }
        }
      }
      if (expect.has("classes_per_image")) {
        for (Classification answer : answers) {
          assertThat(answer.getClassesList()).hasSize(expect.get("classes_per_image").asInt());
        }
      }
      for (Classification answer : answers) {
        List<ClassScore> classes = answer.getClassesList();
        if (expect.path("best_first").asBoolean()) {
          for (int i = 1; i < classes.size(); i++) {
            assertThat(classes.get(i).getScore())
                .isLessThanOrEqualTo(classes.get(i - 1).getScore());
          }
        }
        if (expect.has("labels_from")) {
          for (ClassScore score : classes) {
            assertThat(score.getLabel()).isEqualTo(expected.classNames().get(score.getIndex()));
          }
        }
        if (expect.path("top_class_is_argmax").asBoolean()) {
          assertThat(classes.get(0).getIndex())
              .isEqualTo(ConformanceExpected.argmax(answer.getLogitsList()));
        }
        if (expect.has("scores_are_softmax")) {
          double[] softmax = ConformanceExpected.softmax(answer.getLogitsList());
          for (ClassScore score : classes) {
            assertThat((double) score.getScore())
                .isCloseTo(
                    softmax[score.getIndex()],
                    org.assertj.core.data.Offset.offset(
                        expect.get("scores_are_softmax").asDouble()));
          }
        }
        if (expect.path("logits_empty").asBoolean()) {
          assertThat(answer.getLogitsList()).isEmpty();
        }
      }
    }
  }

  private void classifyEach(JsonNode testCase) throws Exception {
    try (SwinserveClient client = SwinserveClient.connect(server().target())) {
      for (JsonNode request : testCase.get("requests")) {
        ClassifyResponse response =
            client.classify(requests.request(request, requests.rows(request), "each"), CALL);
        assertThat(response.getModel().getVersion())
            .as("%s", request)
            .isEqualTo(request.get("expect_version").asLong());
      }
    }
  }

  private void setLabel(JsonNode testCase) throws Exception {
    JsonNode request = testCase.get("request");
    JsonNode expect = testCase.get("expect");
    String model = request.get("model").asText();
    try (ModelServiceClient models = ModelServiceClient.connect(server().target());
        SwinserveClient client = SwinserveClient.connect(server().target())) {
      models.setLabel(model, request.get("label").asText(), request.get("version").asLong(), CALL);
      assertThat(
              models
                  .getModelStatus(ModelSpec.newBuilder().setName(model).build(), CALL)
                  .getLabelsMap())
          .isEqualTo(labels(expect.get("labels")));
      ClassifyRequest labelled =
          requests.request(
              Map.of(
                  "model",
                  model,
                  "label",
                  expect.get("classify_label").asText(),
                  "input",
                  "reference_pixels"),
              List.of(0),
              "labelled");
      assertThat(client.classify(labelled, CALL).getModel().getVersion())
          .isEqualTo(expect.get("classify_version").asLong());
    }
  }

  private void classifyError(JsonNode testCase) throws Exception {
    JsonNode request = testCase.get("request");
    JsonNode expect = testCase.get("expect");
    try (SwinserveClient client = SwinserveClient.connect(server().target())) {
      assertThatThrownBy(
              () ->
                  client.classify(requests.request(request, requests.rows(request), "error"), CALL))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode().name()).isEqualTo(expect.get("code").asText());
                if (expect.has("message_contains")) {
                  assertThat(e.getStatus().getDescription())
                      .containsIgnoringCase(expect.get("message_contains").asText());
                }
              });
    }
  }

  private void stream(JsonNode testCase, boolean restart) throws Exception {
    JsonNode request = testCase.get("request");
    JsonNode expect = testCase.get("expect");
    int count = request.get("count").asInt();
    int total = expected.referencePixels().size();
    ConformanceServer first = server();
    ClientConfig config = ConformanceClientConfig.of(first.target(), testCase.path("client"));
    Map<String, ClassifyResponse> answers = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    int restartAfter = restart ? testCase.get("restart").get("after_answers").asInt() : -1;
    CountDownLatch restartNow = new CountDownLatch(1);
    AtomicReference<Exception> restartFailure = new AtomicReference<>();
    Thread restarter =
        new Thread(
            () -> {
              try {
                restartNow.await();
                int port = server.port();
                server.kill();
                server = ConformanceServer.start(environment, work, port);
              } catch (Exception e) {
                restartFailure.set(e);
              }
            },
            "conformance-restart");
    if (restart) {
      restarter.start();
    }
    Iterator<ClassifyRequest> toSend =
        IntStream.range(0, count)
            .mapToObj(
                i ->
                    requests.request(request, List.of(i % total), "r" + i).toBuilder()
                        .setIncludeLogits(expect.has("logits"))
                        .build())
            .iterator();
    Duration deadline =
        request.has("deadline_s") ? Duration.ofSeconds(request.get("deadline_s").asLong()) : STREAM;
    try (SwinserveClient client = SwinserveClient.connect(config, (endpoint, from, to) -> {})) {
      client.classifyStream(
          toSend,
          request.get("max_in_flight").asInt(),
          response -> {
            if (answers.put(response.getRequestId(), response) != null) {
              duplicates.incrementAndGet();
            }
            if (answers.size() == restartAfter) {
              restartNow.countDown();
            }
          },
          deadline);
    } finally {
      restartNow.countDown();
      if (restart) {
        restarter.join();
      }
    }
    if (restartFailure.get() != null) {
      throw restartFailure.get();
    }
    assertThat(duplicates.get()).as("answers delivered twice").isZero();
    assertThat(answers.keySet())
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, count).mapToObj(i -> "r" + i).toList());
    assertThat(answers).hasSize(expect.get("answers").asInt());
    if (expect.has("logits")) {
      double bar = requests.bar(expect.get("max_relative_error"));
      for (int i = 0; i < count; i++) {
        List<Float> logits = answers.get("r" + i).getClassifications(0).getLogitsList();
        assertThat(
                ConformanceExpected.relativeError(
                    logits, expected.referenceLogits().get(i % total)))
            .as("r%d", i)
            .isLessThanOrEqualTo(bar);
      }
    }
  }

  private void failover(JsonNode testCase) throws Exception {
    int dead;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = socket.getLocalPort();
    }
    String target =
        testCase
            .get("target")
            .asText()
            .replace("DEAD_PORT", Integer.toString(dead))
            .replace("LIVE_PORT", Integer.toString(server().port()));
    JsonNode request = testCase.get("request");
    try (SwinserveClient client =
        SwinserveClient.connect(
            ConformanceClientConfig.of(target, testCase.path("client")),
            (endpoint, from, to) -> {})) {
      for (int call = 0; call < request.get("calls").asInt(); call++) {
        ClassifyResponse response =
            client.classify(requests.request(request, requests.rows(request), "f" + call), CALL);
        assertThat(response.getClassificationsCount()).isEqualTo(requests.rows(request).size());
      }
    }
  }

  private void probe(JsonNode testCase) throws Exception {
    JsonNode expect = testCase.get("expect");
    try (ProbeServer probe = new ProbeServer(testCase.get("probe_answers"));
        SwinserveClient client =
            SwinserveClient.connect(
                ConformanceClientConfig.of(probe.target(), testCase.path("client")),
                (endpoint, from, to) -> {})) {
      Status.Code code = probeCall(client, testCase.path("call"));
      assertThat(code.name()).isEqualTo(expect.get("code").asText());
      List<ProbeServer.Attempt> attempts = probe.attempts();
      assertThat(attempts).hasSize(expect.get("attempts").asInt());
      if (expect.has("min_gap_ms")) {
        long gap =
            TimeUnit.NANOSECONDS.toMillis(
                attempts.get(1).arrivedNanos() - attempts.get(0).arrivedNanos());
        assertThat(gap).isGreaterThanOrEqualTo(expect.get("min_gap_ms").asLong());
      }
      if (expect.has("server_deadline_ms")) {
        JsonNode range = expect.get("server_deadline_ms");
        assertThat(attempts.get(0).deadlineMillis()).isPresent();
        assertThat(attempts.get(0).deadlineMillis().getAsLong())
            .isBetween(range.get("min").asLong(), range.get("max").asLong());
      }
    }
  }

  private void breaker(JsonNode testCase) throws Exception {
    try (ProbeServer probe = new ProbeServer(testCase.get("probe_answers"));
        SwinserveClient client =
            SwinserveClient.connect(
                ConformanceClientConfig.of(probe.target(), testCase.path("client")),
                (endpoint, from, to) -> {})) {
      int step = 0;
      for (JsonNode expect : testCase.get("steps")) {
        step++;
        if (expect.has("sleep_ms")) {
          Thread.sleep(expect.get("sleep_ms").asLong());
        }
        for (int call = 0; call < expect.path("calls").asInt(); call++) {
          AtomicReference<String> message = new AtomicReference<>("");
          Status.Code code = probeCall(client, message);
          assertThat(code.name()).as("step %d", step).isEqualTo(expect.get("expect_code").asText());
          if (expect.has("expect_message_contains")) {
            assertThat(message.get())
                .as("step %d", step)
                .containsIgnoringCase(expect.get("expect_message_contains").asText());
          }
        }
        if (expect.has("expect_attempts")) {
          assertThat(probe.attempts())
              .as("step %d", step)
              .hasSize(expect.get("expect_attempts").asInt());
        }
        if (expect.has("expect_state")) {
          assertThat(client.breakers().get(0).state().name())
              .as("step %d", step)
              .isEqualTo(expect.get("expect_state").asText());
        }
      }
    }
  }

  private void tls(JsonNode testCase) throws Exception {
    JsonNode files = testCase.get("client").get("tls");
    ClientTls tls =
        ClientTls.trusting(environment.tlsFile(files.get("trusted_cas").asText()))
            .withClientCertificate(
                environment.tlsFile(files.get("cert_chain").asText()),
                environment.tlsFile(files.get("private_key").asText()));
    JsonNode request = testCase.get("request");
    JsonNode expect = testCase.get("expect");
    List<Integer> rows = requests.rows(request);
    String config = environment.tlsFile(testCase.get("server").get("config").asText()).toString();
    try (ConformanceServer secure =
        ConformanceServer.start(environment, work, 0, List.of("--config", config))) {
      ClientConfig settings = ClientConfig.defaults(secure.target());
      try (SwinserveClient client =
          SwinserveClient.connect(settings.withTls(tls), (endpoint, from, to) -> {})) {
        ClassifyResponse response = client.classify(requests.request(request, rows, "tls"), CALL);
        assertThat(response.getModel().getVersion()).isEqualTo(expect.get("version").asLong());
        for (int i = 0; i < rows.size(); i++) {
          assertThat(
                  ConformanceExpected.relativeError(
                      response.getClassifications(i).getLogitsList(),
                      expected.referenceLogits().get(rows.get(i))))
              .isLessThanOrEqualTo(requests.bar(expect.get("max_relative_error")));
        }
      }
      ClientConfig once =
          settings.withRetry(
              new RetryConfig(1, Duration.ofMillis(10), 2, Duration.ofMillis(10), 0, 0, 0));
      ClientTls withoutCertificate =
          ClientTls.trusting(environment.tlsFile(files.get("trusted_cas").asText()));
      assertFailsWith(
          once.withTls(withoutCertificate), expect.get("without_client_certificate").asText());
      assertFailsWith(once, expect.get("plaintext").asText());
    }
  }

  private void assertFailsWith(ClientConfig config, String code) {
    try (SwinserveClient client = SwinserveClient.connect(config, (endpoint, from, to) -> {})) {
      assertThatThrownBy(() -> client.classify(requests.probeRequest(), CALL))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode().name()).isEqualTo(code));
    }
  }

  // --- helpers ---

  private Status.Code probeCall(SwinserveClient client, JsonNode call) {
    ClassifyRequest request = requests.probeRequest();
    try {
      if (call.has("deadline_ms")) {
        client.classify(request, Duration.ofMillis(call.get("deadline_ms").asLong()));
      } else {
        client.classify(request);
      }
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  private Status.Code probeCall(SwinserveClient client, AtomicReference<String> message) {
    try {
      client.classify(requests.probeRequest());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      message.set(String.valueOf(e.getStatus().getDescription()));
      return e.getStatus().getCode();
    }
  }

  private ConformanceServer server() throws IOException, InterruptedException {
    if (server == null) {
      server = ConformanceServer.start(environment, work, 0);
    }
    return server;
  }

  private void stopServer() {
    if (server != null) {
      try {
        server.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static List<Long> longs(JsonNode array) {
    List<Long> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asLong()));
    return values;
  }

  private static Map<String, Long> labels(JsonNode object) {
    Map<String, Long> labels = new HashMap<>();
    object
        .fields()
        .forEachRemaining(entry -> labels.put(entry.getKey(), entry.getValue().asLong()));
    return labels;
  }
}
