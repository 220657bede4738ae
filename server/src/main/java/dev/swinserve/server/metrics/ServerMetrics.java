package dev.swinserve.server.metrics;

import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The server's measurements: distributions (latencies, batch sizes) and gauges (queue depths),
 * each identified by a name and labels. Thread-safe; recording is lock-free on the hot path.
 *
 * <p>Series: {@code request_latency} (labels method, model, version, status; ms), {@code queue_time}
 * and {@code compute_time} (model, version; ms), {@code batch_size} (model, version; images run
 * together) and gauge {@code queue_depth} (model, version; requests waiting). Endpoints add
 * {@code arm_latency} (see {@code ClassificationService}) and the {@code shadow_*} series (see
 * {@code ShadowRunner}).
 */
@Singleton
public final class ServerMetrics {

  /** A series' identity. Labels are kept sorted so equal label sets are equal keys. */
  public record SeriesKey(String name, Map<String, String> labels) {
    public SeriesKey {
      labels = Map.copyOf(new TreeMap<>(labels));
    }
  }

  private final Map<SeriesKey, Distribution> distributions = new ConcurrentHashMap<>();
  private final Map<SeriesKey, DoubleSupplier> gauges = new ConcurrentHashMap<>();

  public Distribution distribution(String name, String unit, Map<String, String> labels) {
    return distributions.computeIfAbsent(new SeriesKey(name, labels), key -> new Distribution(unit));
  }

  /** Registers (or replaces) a gauge read at snapshot time. */
  public void gauge(String name, Map<String, String> labels, DoubleSupplier value) {
    gauges.put(new SeriesKey(name, labels), value);
  }

  /** The distributions as of now, optionally cleared after reading. */
  public List<Map.Entry<SeriesKey, Distribution.Snapshot>> distributions(boolean reset) {
    return distributions.entrySet().stream()
        .map(entry -> Map.entry(entry.getKey(), entry.getValue().snapshot(reset)))
        .toList();
  }

  public List<Map.Entry<SeriesKey, Double>> gauges() {
    return gauges.entrySet().stream()
        .map(entry -> Map.entry(entry.getKey(), entry.getValue().getAsDouble()))
        .toList();
  }
}
