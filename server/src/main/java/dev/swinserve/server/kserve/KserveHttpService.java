package dev.swinserve.server.kserve;

import dev.swinserve.api.kserve.ModelMetadataResponse;
import dev.swinserve.api.kserve.ModelMetadataResponse.TensorMetadata;
import dev.swinserve.api.kserve.ServerMetadataResponse;
import dev.swinserve.registry.ModelRegistry;
import dev.swinserve.server.grpc.CallContext;
import dev.swinserve.server.grpc.CallPipeline;
import dev.swinserve.server.grpc.FrontDoor;
import dev.swinserve.server.grpc.StatusMapper;
import dev.swinserve.server.http.HttpCall;
import dev.swinserve.server.http.HttpService;
import dev.swinserve.server.routing.Router;
import dev.swinserve.server.runtime.ClassificationModel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The Open Inference Protocol over HTTP/REST, with Triton's routes and answers so that {@code
 * tritonclient.http} works unchanged: {@code GET /v2} (server metadata), {@code GET
 * /v2/health/live} and {@code /v2/health/ready}, {@code GET /v2/models/{name}[/versions/{version}]}
 * (model metadata), {@code .../ready}, {@code .../config} (Triton's model configuration, at the top
 * level of the body as Triton answers it), and {@code POST .../infer}. Readiness answers 200 or 400
 * with no body, as Triton's does. Everything else comes from what the gRPC service uses: {@link
 * ModelLookup} for readiness and metadata, {@link InferCall} through the {@link CallPipeline} for
 * inference ({@link HttpInferRequest} and {@link HttpInferResponse} map the bodies). A failure is
 * {@code {"error": "..."}} with the HTTP status of its gRPC code.
 */
public final class KserveHttpService implements HttpService {

  private static final String ROUTES =
      "the routes are /v2, /v2/health/live, /v2/health/ready,"
          + " /v2/models/{name}[/versions/{version}][/ready|/config|/infer]";

  private final CallPipeline pipeline;
  private final ModelLookup models;

  @Inject
  KserveHttpService(
      CallPipeline pipeline, ModelRegistry<ClassificationModel> registry, Router router) {
    this.pipeline = pipeline;
    this.models = new ModelLookup(registry, router);
  }

  @Override
  public void handle(FullHttpRequest request, HttpCall call) {
    List<String> path = segments(request.uri());
    HttpMethod method = request.method();
    try {
      if (path.equals(List.of("v2"))) {
        if (only(HttpMethod.GET, method, call)) {
          call.respondJson(HttpResponseStatus.OK, serverMetadata());
        }
      } else if (path.equals(List.of("v2", "health", "live"))) {
        if (only(HttpMethod.GET, method, call)) {
          call.respond(HttpResponseStatus.OK);
        }
      } else if (path.equals(List.of("v2", "health", "ready"))) {
        if (only(HttpMethod.GET, method, call)) {
          call.respond(
              models.serverReady() ? HttpResponseStatus.OK : HttpResponseStatus.BAD_REQUEST);
        }
      } else if (path.size() >= 3 && path.get(0).equals("v2") && path.get(1).equals("models")) {
        model(request, call, path.subList(2, path.size()));
      } else {
        call.fail(
            HttpResponseStatus.NOT_FOUND,
            "no route "
                + InferCall.shown(new QueryStringDecoder(request.uri()).rawPath())
                + "; "
                + ROUTES,
            Map.of());
      }
    } catch (RuntimeException e) {
      call.fail(StatusMapper.toFailure(e));
    }
  }

  /** {@code rest}: {@code name[/versions/version][/ready|/config|/infer]}. */
  private void model(FullHttpRequest request, HttpCall call, List<String> rest) {
    String name = rest.get(0);
    String version = "";
    int next = 1;
    if (rest.size() >= 3 && rest.get(1).equals("versions")) {
      version = rest.get(2);
      next = 3;
    }
    String action = rest.size() == next + 1 ? rest.get(next) : rest.size() == next ? "" : null;
    HttpMethod method = request.method();
    if (action == null
        || !(action.isEmpty()
            || action.equals("ready")
            || action.equals("config")
            || action.equals("infer"))) {
      call.fail(HttpResponseStatus.NOT_FOUND, "no such route; " + ROUTES, Map.of());
    } else if (action.isEmpty()) {
      if (only(HttpMethod.GET, method, call)) {
        call.respondJson(HttpResponseStatus.OK, modelMetadata(models.metadata(name, version)));
      }
    } else if (action.equals("ready")) {
      if (only(HttpMethod.GET, method, call)) {
        call.respond(
            models.ready(name, version) ? HttpResponseStatus.OK : HttpResponseStatus.BAD_REQUEST);
      }
    } else if (action.equals("config")) {
      if (only(HttpMethod.GET, method, call)) {
        call.respondJson(HttpResponseStatus.OK, ModelConfigs.json(models.config(name, version)));
      }
    } else if (only(HttpMethod.POST, method, call)) {
      infer(request, call, name, version);
    }
  }

  private void infer(FullHttpRequest request, HttpCall call, String model, String version) {
    HttpInferRequest[] parsed = {null};
    InferCall[] infer = {null};
    pipeline.classify(
        FrontDoor.MODEL_INFER_HTTP,
        model,
        new CallContext(OptionalLong.empty(), call::cancelled),
        context -> {
          parsed[0] =
              HttpInferRequest.parse(
                  model,
                  version,
                  request.content().nioBuffer(),
                  request.headers().get(HttpInferRequest.HEADER_LENGTH));
          infer[0] = new InferCall(parsed[0].message());
          return infer[0].request(withTimeout(context, parsed[0].timeoutMicros()));
        },
        result -> {
          HttpInferResponse response = HttpInferResponse.of(infer[0].response(result), parsed[0]);
          if (response.headerLength().isPresent()) {
            call.respond(
                HttpResponseStatus.OK,
                "application/octet-stream",
                response.body(),
                Map.of(
                    HttpInferRequest.HEADER_LENGTH,
                    Integer.toString(response.headerLength().getAsInt())));
          } else {
            call.respond(
                HttpResponseStatus.OK, HttpCall.APPLICATION_JSON, response.body(), Map.of());
          }
        },
        call::fail);
  }

  /** {@code context} with the deadline the request's {@code timeout} parameter sets, if any. */
  private static CallContext withTimeout(CallContext context, OptionalLong timeoutMicros) {
    if (timeoutMicros.isEmpty()) {
      return context;
    }
    long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(timeoutMicros.getAsLong());
    return new CallContext(OptionalLong.of(deadline), context.cancelled());
  }

  /** Answers 405 naming the allowed method unless {@code method} is {@code allowed}. */
  private static boolean only(HttpMethod allowed, HttpMethod method, HttpCall call) {
    if (method.equals(allowed)) {
      return true;
    }
    call.fail(
        HttpResponseStatus.METHOD_NOT_ALLOWED,
        "this route takes " + allowed + ", not " + method,
        Map.of("Allow", allowed.name()));
    return false;
  }

  /** The path's segments, each percent-decoded (a model name may hold any character). */
  private static List<String> segments(String uri) {
    List<String> segments = new ArrayList<>();
    for (String segment : new QueryStringDecoder(uri).rawPath().split("/", -1)) {
      if (!segment.isEmpty()) {
        segments.add(QueryStringDecoder.decodeComponent(segment));
      }
    }
    return segments;
  }

  private static Map<String, Object> serverMetadata() {
    ServerMetadataResponse metadata = KserveGrpcService.serverMetadata();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", metadata.getName());
    json.put("version", metadata.getVersion());
    json.put("extensions", metadata.getExtensionsList());
    return json;
  }

  private static Map<String, Object> modelMetadata(ModelMetadataResponse metadata) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", metadata.getName());
    json.put("versions", metadata.getVersionsList());
    json.put("platform", metadata.getPlatform());
    json.put("inputs", metadata.getInputsList().stream().map(KserveHttpService::tensor).toList());
    json.put("outputs", metadata.getOutputsList().stream().map(KserveHttpService::tensor).toList());
    return json;
  }

  private static Map<String, Object> tensor(TensorMetadata tensor) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", tensor.getName());
    json.put("datatype", tensor.getDatatype());
    json.put("shape", tensor.getShapeList());
    return json;
  }
}
