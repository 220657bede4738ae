package dev.swinserve.server.metrics;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The server's measurements: distributions (latencies, batch sizes) and gauges (queue depths), each
 * identified by a name and labels. Thread-safe; recording into an existing series is lock-free,
 * creating one takes a lock.
 *
 * <p>Series: {@code request_latency} (labels method, model, version, status; ms), {@code
 * queue_time} and {@code compute_time} (model, version; ms), {@code batch_size} (model, version;
 * images run together) and gauge {@code queue_depth} (model, version; requests waiting). Endpoints
 * add {@code arm_latency} (see {@code ClassificationService}) and the {@code shadow_*} series (see
 * {@code ShadowRunner}).
 *
 * <p>Bounded: callers label series only with names the server knows (a model name nobody serves is
 * {@link #UNKNOWN}), a retired version's or deleted endpoint's series are {@linkplain #removeSeries
 * removed}, and at most {@code maxSeries} series exist. Past that, a new series folds into one
 * overflow series per metric name (label {@code overflow=true}) and {@link #overflowed()} counts
 * the folded lookups.
 */
@Singleton
public final class ServerMetrics {

  /** The model label of requests naming no model or endpoint the server knows. */
  public static final String UNKNOWN = "<unknown>";

  /** Enough for ~40 model versions' series; each distribution holds ~50 KB of histograms. */
  public static final int DEFAULT_MAX_SERIES = 1_000;

  /** A series' identity. Labels are kept sorted so equal label sets are equal keys. */
  public record SeriesKey(String name, Map<String, String> labels) {
    public SeriesKey {
      labels = Map.copyOf(new TreeMap<>(labels));
    }

    /** Whether every one of {@code subset}'s labels is one of this key's. */
    boolean hasLabels(Map<String, String> subset) {
      return labels.entrySet().containsAll(subset.entrySet());
    }
  }

  private final int maxSeries;
  private final Map<SeriesKey, Distribution> distributions = new ConcurrentHashMap<>();
  private final Map<SeriesKey, DoubleSupplier> gauges = new ConcurrentHashMap<>();
  private final Object creation = new Object();
  private final LongAdder overflowed = new LongAdder();

  @Inject
  public ServerMetrics() {
    this(DEFAULT_MAX_SERIES);
  }

  /**
   * @param maxSeries the most distributions and gauges together, overflow series aside
   */
  public ServerMetrics(int maxSeries) {
    if (maxSeries < 1) {
      throw new IllegalArgumentException("maxSeries must be at least 1, not " + maxSeries);
    }
    this.maxSeries = maxSeries;
  }

  /** The series of {@code name} and {@code labels}; the overflow series of {@code name} if full. */
  public Distribution distribution(String name, String unit, Map<String, String> labels) {
    SeriesKey key = new SeriesKey(name, labels);
    Distribution existing = distributions.get(key);
    if (existing != null) {
      return existing;
    }
    synchronized (creation) {
      if (!distributions.containsKey(key) && seriesCount() >= maxSeries) {
        overflowed.increment();
        key = overflowKey(name);
      }
      return distributions.computeIfAbsent(key, ignored -> new Distribution(unit));
    }
  }

  /** Registers (or replaces) a gauge read at snapshot time; dropped (and counted) if full. */
  public void gauge(String name, Map<String, String> labels, DoubleSupplier value) {
    SeriesKey key = new SeriesKey(name, labels);
    synchronized (creation) {
      if (!gauges.containsKey(key) && seriesCount() >= maxSeries) {
        overflowed.increment();
        return;
      }
      gauges.put(key, value);
    }
  }

  /**
   * Registers (or replaces) a gauge of {@code source}, held weakly: once nothing else holds the
   * source (a retired version's queue), the gauge leaves the snapshots.
   */
  public <T> void weakGauge(
      String name, Map<String, String> labels, T source, ToDoubleFunction<T> value) {
    WeakReference<T> reference = new WeakReference<>(source);
    gauge(
        name,
        labels,
        () -> {
          T held = reference.get();
          return held == null ? Double.NaN : value.applyAsDouble(held);
        });
  }

  /**
   * Removes every series whose labels include all of {@code labels}, e.g. {@code model=m,
   * version=3} when that version is unloaded.
   */
  public void removeSeries(Map<String, String> labels) {
    synchronized (creation) {
      distributions.keySet().removeIf(key -> key.hasLabels(labels));
      gauges.keySet().removeIf(key -> key.hasLabels(labels));
    }
  }

  /**
   * Removes every series labelled {@code label} with a value that {@code gone} accepts, e.g. the
   * series of endpoints that no longer exist.
   */
  public void removeSeriesWhere(String label, Predicate<String> gone) {
    Predicate<SeriesKey> stale =
        key -> key.labels().containsKey(label) && gone.test(key.labels().get(label));
    synchronized (creation) {
      distributions.keySet().removeIf(stale);
      gauges.keySet().removeIf(stale);
    }
  }

  /** Distributions and gauges held now, overflow series included. */
  public int seriesCount() {
    return distributions.size() + gauges.size();
  }

  /** How many times a new series was refused because {@code maxSeries} were held. */
  public long overflowed() {
    return overflowed.sum();
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
    gauges.forEach(
        (key, supplier) -> {
          double value = supplier.getAsDouble();
          if (Double.isNaN(value)) {
            gauges.remove(key, supplier);
          } else {
            values.add(Map.entry(key, value));
          }
        });
    return values;
  }

  private static SeriesKey overflowKey(String name) {
    return new SeriesKey(name, Map.of("overflow", "true"));
  }
}
