package dev.swinserve.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.Injector;
import dev.swinserve.api.v1.GetMetricsRequest;
import dev.swinserve.api.v1.MetricsServiceGrpc;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.SetLabelRequest;
import dev.swinserve.client.ClientConfig;
import dev.swinserve.client.SwinserveClient;
import dev.swinserve.client.resilience.BreakerListener;
import dev.swinserve.client.testing.TestCertificates;
import dev.swinserve.server.SwinserveServer;
import dev.swinserve.server.http.ManagedHttpServer;
import dev.swinserve.server.testing.FixtureRepository;
import dev.swinserve.server.testing.LogCapture;
import dev.swinserve.server.testing.LoopbackServers;
import dev.swinserve.server.testing.TestConfigs;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auth:} on the real server (production modules, Netty, loopback): every RPC the server
 * serves against every kind of caller (no credential, an unknown token, a principal without roles,
 * and one per role), the HTTP routes, a client certificate as the principal, the principals file
 * read again on change, and the audit line of an admin act.
 */
class AuthEndToEndTest {

  private static final Map<String, String> TOKENS =
      Map.of(
          "infer",
          "token-infer",
          "read",
          "token-read",
          "admin",
          "token-admin",
          "none",
          "token-none");

  @TempDir Path folder;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  @Test
  void everyRpcAgainstEveryCaller() throws Exception {
    Injector injector = start("");
    Server server = injector.getInstance(Server.class);
    ManagedChannel channel = channel(injector);
    Map<String, String> problems = new TreeMap<>();
    int calls = 0;
    for (ServerServiceDefinition service : server.getServices()) {
      for (ServerMethodDefinition<?, ?> definition : service.getMethods()) {
        MethodDescriptor<?, ?> method = definition.getMethodDescriptor();
        String name = method.getFullMethodName();
        if (!MethodRoles.listed(name)) {
          problems.put(name, "not listed in MethodRoles (it falls to admin)");
        }
        Role needed = MethodRoles.of(name);
        for (String caller : List.of("anonymous", "unknown", "none", "infer", "read", "admin")) {
          Status.Code code = call(channel, method, caller);
          calls++;
          Status.Code expected = expected(needed, caller);
          boolean ok =
              expected == null
                  ? code != Status.Code.UNAUTHENTICATED && code != Status.Code.PERMISSION_DENIED
                  : code == expected;
          if (!ok) {
            problems.put(
                name + " as " + caller,
                code + ", expected " + (expected == null ? "no auth refusal" : expected));
          }
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(calls).isGreaterThan(6 * 30);
    System.out.printf("auth matrix: %d calls, every one as expected%n", calls);
  }

  @Test
  void resettingTheMetricsNeedsAdmin() throws Exception {
    Injector injector = start("");
    ManagedChannel channel = channel(injector);
    GetMetricsRequest reset = GetMetricsRequest.newBuilder().setReset(true).build();

    assertThat(
            MetricsServiceGrpc.newBlockingStub(channel)
                .withInterceptors(bearer("token-read"))
                .getMetrics(GetMetricsRequest.getDefaultInstance()))
        .isNotNull();
    assertThat(status(() -> metrics(channel, "token-read", reset)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(status(() -> metrics(channel, "token-admin", reset))).isEqualTo(Status.Code.OK);
  }

  @Test
  void anAdminActIsAuditedWithPrincipalRequestAndTheStateAfter() throws Exception {
    FixtureRepository.addTwoVersionsWithStableLabel(
        Files.createDirectories(folder.resolve("models")), "mini", FixtureRepository.MINI);
    List<String> lines;
    try (LogCapture audit = LogCapture.named(AuditLog.LOGGER)) {
      Injector injector = start("");
      ModelServiceGrpc.newBlockingStub(channel(injector))
          .withInterceptors(bearer("token-admin"))
          .setLabel(
              SetLabelRequest.newBuilder()
                  .setModel("mini")
                  .setLabel("canary")
                  .setVersion(2)
                  .build());
      lines = audit.messages();
    }
    assertThat(lines)
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains("principal=admin")
                    .contains("swinserve.v1.ModelService/SetLabel")
                    .contains("status=OK")
                    .contains("label: \"canary\"")
                    .contains("key: \"canary\"")
                    .doesNotContain("token-admin"));
  }

  @Test
  void theJavaClientSendsItsBearerToken() throws Exception {
    Injector injector = start("");
    String target = "127.0.0.1:" + injector.getInstance(SwinserveServer.class).port();
    dev.swinserve.api.v1.ClassifyRequest request =
        dev.swinserve.api.v1.ClassifyRequest.newBuilder()
            .setModel(dev.swinserve.api.v1.ModelSpec.newBuilder().setName("nope"))
            .build();
    try (SwinserveClient withToken =
            SwinserveClient.connect(
                ClientConfig.defaults(target).withBearerToken("token-infer"),
                BreakerListener.NONE);
        SwinserveClient without = SwinserveClient.connect(target)) {
      // Past authentication, the request (no images) is the caller's mistake.
      assertThat(status(() -> withToken.classify(request))).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(status(() -> without.classify(request))).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
  }

  @Test
  void theHttpRoutesFollowTheSameRules() throws Exception {
    Injector injector = start("http: {port: 0}\n");
    String base = "http://127.0.0.1:" + injector.getInstance(ManagedHttpServer.class).port();
    HttpClient http = HttpClient.newHttpClient();

    assertThat(get(http, base + "/v2/health/live", null).statusCode()).isEqualTo(200);
    HttpResponse<String> anonymous = get(http, base + "/v2/models/nope", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(anonymous.body()).contains("needs role 'read'");
    assertThat(get(http, base + "/v2/models/nope", "token-infer").statusCode()).isEqualTo(403);
    assertThat(get(http, base + "/v2/models/nope", "token-read").statusCode()).isEqualTo(404);
    assertThat(post(http, base + "/v2/models/nope/infer", "token-read").statusCode())
        .isEqualTo(403);
    assertThat(post(http, base + "/v2/models/nope/infer", "token-infer").statusCode())
        .isNotIn(401, 403);
  }

  @Test
  void aClientCertificateIsAPrincipalAndAnUnknownTokenIsNeverEchoed() throws Exception {
    TestCertificates.Authority ca = new TestCertificates.Authority("auth CA");
    Path caFile = ca.write(folder, "ca");
    TestCertificates.PemFiles server = ca.server().written(folder, "server");
    TestCertificates.PemFiles known = ca.client("pipeline").written(folder, "known");
    TestCertificates.PemFiles stranger = ca.client("stranger").written(folder, "stranger");
    Injector injector =
        start(
            "tls: {cert_chain: "
                + server.chain()
                + ", private_key: "
                + server.key()
                + ", trusted_cas: "
                + caFile
                + ", client_auth: optional}\n",
            "  pipeline:\n    roles: [read]\n    certificate_subject: CN=pipeline\n");
    int port = injector.getInstance(SwinserveServer.class).port();

    ManagedChannel asKnown = tls(port, caFile, known);
    ManagedChannel asStranger = tls(port, caFile, stranger);
    ManagedChannel withoutCertificate = tls(port, caFile, null);
    assertThat(status(() -> listModels(asKnown, null))).isEqualTo(Status.Code.OK);
    assertThat(status(() -> listModels(asStranger, null))).isEqualTo(Status.Code.UNAUTHENTICATED);
    StatusRuntimeException unknown =
        catchStatus(() -> listModels(withoutCertificate, "secret-guess-123"));
    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(unknown.getStatus().getDescription()).doesNotContain("secret-guess-123");
  }

  @Test
  void thePrincipalsFileIsReadAgainAndABrokenOneKeepsTheOld() throws Exception {
    Injector injector = start("");
    ManagedChannel channel = channel(injector);
    assertThat(status(() -> listModels(channel, "token-new")))
        .isEqualTo(Status.Code.UNAUTHENTICATED);

    writePrincipals(
        "  newcomer:\n    roles: [read]\n    token_sha256: "
            + Principals.sha256("token-new")
            + "\n");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> status(() -> listModels(channel, "token-new")) == Status.Code.OK);

    try (LogCapture logs = LogCapture.of(Authenticator.class)) {
      Files.writeString(folder.resolve("principals.yaml"), "principals: [this is not a map\n");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> logs.count("keeping the principals in use") > 0);
    }
    assertThat(status(() -> listModels(channel, "token-new"))).isEqualTo(Status.Code.OK);
  }

  // --- helpers ---

  /** Who gets what: null means "not refused by auth" (the call may fail for other reasons). */
  private static Status.Code expected(Role needed, String caller) {
    if (needed == Role.NONE) {
      return null;
    }
    return switch (caller) {
      case "anonymous", "unknown" -> Status.Code.UNAUTHENTICATED;
      case "none" -> Status.Code.PERMISSION_DENIED;
      default ->
          Role.valueOf(caller.toUpperCase(java.util.Locale.ROOT)).grants(needed)
              ? null
              : Status.Code.PERMISSION_DENIED;
    };
  }

  private Injector start(String yaml) throws Exception {
    return start(yaml, "");
  }

  private Injector start(String yaml, String morePrincipals) throws Exception {
    writePrincipals(morePrincipals);
    Path repository = Files.createDirectories(folder.resolve("models"));
    Injector injector =
        LoopbackServers.started(
            TestConfigs.withRepository(
                repository,
                "host: 127.0.0.1\nauth: {principals_file: "
                    + folder.resolve("principals.yaml")
                    + ", reload_interval_ms: 100}\n"
                    + yaml));
    opened.add(() -> injector.getInstance(SwinserveServer.class).shutdown());
    return injector;
  }

  private void writePrincipals(String more) throws IOException {
    StringBuilder text = new StringBuilder("principals:\n");
    TOKENS.forEach(
        (role, token) ->
            text.append("  ")
                .append(role)
                .append(":\n    roles: [")
                .append(role.equals("none") ? "" : role)
                .append("]\n    token_sha256: ")
                .append(Principals.sha256(token))
                .append("\n"));
    text.append(more);
    TestCertificates.writeAtomically(folder.resolve("principals.yaml"), text.toString());
  }

  private ManagedChannel channel(Injector injector) {
    ManagedChannel channel = LoopbackServers.channel(injector.getInstance(SwinserveServer.class));
    opened.add(channel::shutdownNow);
    return channel;
  }

  private ManagedChannel tls(int port, Path caFile, TestCertificates.PemFiles client)
      throws IOException {
    TlsChannelCredentials.Builder credentials =
        TlsChannelCredentials.newBuilder().trustManager(caFile.toFile());
    if (client != null) {
      credentials.keyManager(client.chain().toFile(), client.key().toFile());
    }
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials.build()).build();
    opened.add(channel::shutdownNow);
    return channel;
  }

  private static io.grpc.ClientInterceptor bearer(String token) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  private static void listModels(ManagedChannel channel, String token) {
    ModelServiceGrpc.ModelServiceBlockingStub stub =
        ModelServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    if (token != null) {
      stub = stub.withInterceptors(bearer(token));
    }
    stub.listModels(dev.swinserve.api.v1.ListModelsRequest.getDefaultInstance());
  }

  private static void metrics(ManagedChannel channel, String token, GetMetricsRequest request) {
    MetricsServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .withInterceptors(bearer(token))
        .getMetrics(request);
  }

  private static Status.Code status(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  private static StatusRuntimeException catchStatus(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }

  /**
   * Calls {@code method} with an empty message as {@code caller} (a role's token, an unknown token,
   * or nothing), whatever its kind; the first answer or the end decides.
   */
  private static Status.Code call(
      ManagedChannel channel, MethodDescriptor<?, ?> method, String caller) throws Exception {
    MethodDescriptor<byte[], byte[]> raw =
        MethodDescriptor.<byte[], byte[]>newBuilder(BYTES, BYTES)
            .setFullMethodName(method.getFullMethodName())
            .setType(method.getType())
            .build();
    io.grpc.Channel target =
        switch (caller) {
          case "anonymous" -> channel;
          case "unknown" -> ClientInterceptors.intercept(channel, bearer("not-a-known-token"));
          default -> ClientInterceptors.intercept(channel, bearer(TOKENS.get(caller)));
        };
    ClientCall<byte[], byte[]> call =
        target.newCall(raw, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
    CompletableFuture<Status.Code> outcome = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onMessage(byte[] message) {
            outcome.complete(Status.Code.OK);
            call.cancel("answered", null);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            outcome.complete(status.getCode());
          }
        },
        new Metadata());
    call.request(1);
    call.sendMessage(new byte[0]);
    call.halfClose();
    return outcome.get(30, TimeUnit.SECONDS);
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      };

  private static HttpResponse<String> get(HttpClient http, String url, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    Optional.ofNullable(token).ifPresent(t -> request.header("Authorization", "Bearer " + t));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(HttpClient http, String url, String token)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": []}"))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
