package dev.swinserve.bench.load;

import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.bench.load.LoadResult.Latency;
import dev.swinserve.bench.load.LoadResult.Second;
import java.nio.file.Path;
import java.util.Locale;

/** {@link LoadResult#toJson()}: names are snake_case and carry their unit, as in the proto API. */
final class LoadResultJson {

  private LoadResultJson() {}

  static String write(LoadResult result) {
    JsonWriter json =
        new JsonWriter()
            .beginObject()
            .name("start_time")
            .value(result.startTime().toString())
            .name("target")
            .value(result.target());
    parameters(json.name("parameters"), result.spec());
    json.name("elapsed_seconds")
        .value(result.elapsed().toNanos() / 1e9)
        .name("requests")
        .value(result.requests())
        .name("succeeded")
        .value(result.succeeded())
        .name("failed")
        .value(result.failed())
        .name("images")
        .value(result.images())
        .name("dropped")
        .value(result.dropped())
        .name("throughput")
        .beginObject()
        .name("requests_per_second")
        .value(result.requestsPerSecond())
        .name("images_per_second")
        .value(result.imagesPerSecond())
        .endObject();
    Latency latency = result.latency();
    json.name("latency_us")
        .beginObject()
        .name("p50")
        .value(latency.p50Micros())
        .name("p90")
        .value(latency.p90Micros())
        .name("p99")
        .value(latency.p99Micros())
        .name("max")
        .value(latency.maxMicros())
        .name("mean")
        .value(latency.meanMicros())
        .endObject();
    json.name("errors").beginObject();
    result
        .errors()
        .forEach(
            (code, count) ->
                json.name(code.name())
                    .beginObject()
                    .name("count")
                    .value(count.count())
                    .name("first_message")
                    .value(count.firstMessage())
                    .endObject());
    json.endObject().name("timeline").beginArray();
    for (Second second : result.timeline()) {
      json.beginObject()
          .name("second")
          .value(second.second())
          .name("succeeded")
          .value(second.succeeded())
          .name("failed")
          .value(second.failed())
          .name("p50_us")
          .value(second.p50Micros())
          .name("p99_us")
          .value(second.p99Micros())
          .endObject();
    }
    return json.endArray().endObject().toString();
  }

  private static void parameters(JsonWriter json, LoadSpec spec) {
    json.beginObject().name("model");
    model(json, spec.model());
    json.name("mode")
        .value(lower(spec.mode()))
        .name("loop")
        .value(spec.openLoop() ? "open" : "closed")
        .name("concurrency")
        .value(spec.concurrency())
        .name("in_flight")
        .value(spec.inFlight());
    if (spec.openLoop()) {
      json.name("rate_per_second")
          .value(spec.ratePerSecond())
          .name("max_outstanding")
          .value(spec.maxOutstanding());
    }
    if (spec.byRequestCount()) {
      json.name("requests").value(spec.requests());
    } else {
      json.name("duration_seconds").value(spec.duration().toNanos() / 1e9);
    }
    json.name("warmup_seconds")
        .value(spec.warmup().toNanos() / 1e9)
        .name("input")
        .value(lower(spec.input()));
    if (spec.input() == InputKind.ENCODED) {
      json.name("images").beginArray();
      spec.images().stream().map(Path::toString).forEach(json::value);
      json.endArray();
    } else {
      json.name("pixel_size").value(spec.pixelSize()).name("seed").value(spec.seed());
    }
    json.name("batch")
        .value(spec.batch())
        .name("deadline_ms")
        .value(spec.deadline().toMillis())
        .endObject();
  }

  private static void model(JsonWriter json, ModelSpec model) {
    json.beginObject().name("name").value(model.getName());
    switch (model.getVersionChoiceCase()) {
      case VERSION -> json.name("version").value(model.getVersion());
      case LABEL -> json.name("label").value(model.getLabel());
      case VERSIONCHOICE_NOT_SET -> {}
    }
    json.endObject();
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
