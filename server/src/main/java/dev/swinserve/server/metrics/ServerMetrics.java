package dev.swinserve.server.metrics;

import jakarta.inject.Singleton;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;

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

  /**
   * Registers (or replaces) a gauge of {@code source}, held weakly: once nothing else holds the
   * source (a retired version's queue), the gauge leaves the snapshots.
   */
  public <T> void weakGauge(String name, Map<String, String> labels, T source, ToDoubleFunction<T> value) {
    WeakReference<T> reference = new WeakReference<>(source);
    gauges.put(new SeriesKey(name, labels), () -> {
      T held = reference.get();
      return held == null ? Double.NaN : value.applyAsDouble(held);
    });
  }

  /** The distributions as of now, optionally cleared after reading. */
  public List<Map.Entry<SeriesKey, Distribution.Snapshot>> distributions(boolean reset) {
    return distributions.entrySet().stream()
        .map(entry -> Map.entry(entry.getKey(), entry.getValue().snapshot(reset)))
        .toList();
  }

  /** The gauges as of now; a weak gauge whose source is gone is dropped. */
  public List<Map.Entry<SeriesKey, Double>> gauges() {
    List<Map.Entry<SeriesKey, Double>> values = new ArrayList<>();
    gauges.forEach((key, supplier) -> {
      double value = supplier.getAsDouble();
      if (Double.isNaN(value)) {
        gauges.remove(key, supplier);
      } else {
        values.add(Map.entry(key, value));
      }
    });
    return values;
  }
}
