package dev.swinserve.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.registry.VersionState;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {

  private final ServerMetrics metrics = new ServerMetrics();

  @Test
  void aWeakGaugeReadsItsSourceAndLeavesOnceTheSourceIsGone() {
    Map<String, String> labels = Map.of("model", "m", "version", "1");
    AtomicInteger depth = new AtomicInteger(3);
    metrics.weakGauge("queue_depth", labels, depth, AtomicInteger::get);
    metrics.gauge("kept", Map.of(), () -> 1);

    assertThat(metrics.gauges())
        .containsExactlyInAnyOrder(
            Map.entry(new ServerMetrics.SeriesKey("queue_depth", labels), 3.0),
            Map.entry(new ServerMetrics.SeriesKey("kept", Map.of()), 1.0));

    // The gauge's own reference to the source is cleared together with this one.
    WeakReference<AtomicInteger> source = new WeakReference<>(depth);
    depth = null;
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              System.gc();
              return source.get() == null;
            });
    assertThat(metrics.gauges())
        .as("the retired source's gauge is gone, the other stays")
        .containsExactly(Map.entry(new ServerMetrics.SeriesKey("kept", Map.of()), 1.0));
  }

  @Test
  void pastTheCapNewSeriesFoldIntoOneOverflowSeriesPerNameAndAreCounted() {
    ServerMetrics capped = new ServerMetrics(3);
    capped.distribution("latency", "ms", Map.of("model", "a")).record(1);
    capped.distribution("latency", "ms", Map.of("model", "b")).record(1);
    capped.gauge("depth", Map.of("model", "a"), () -> 1);
    for (int i = 0; i < 1_000; i++) {
      capped.distribution("latency", "ms", Map.of("model", "m" + i)).record(1);
      capped.gauge("depth", Map.of("model", "m" + i), () -> 2);
    }
    capped.distribution("latency", "ms", Map.of("model", "a")).record(1);

    assertThat(capped.seriesCount()).as("3 series and one overflow series").isEqualTo(4);
    assertThat(capped.overflowed()).isEqualTo(2_000);
    assertThat(capped.distributions(false))
        .extracting(entry -> entry.getKey().labels(), entry -> entry.getValue().count())
        .containsExactlyInAnyOrder(
            tuple(Map.of("model", "a"), 2L),
            tuple(Map.of("model", "b"), 1L),
            tuple(Map.of("overflow", "true"), 1_000L));
    assertThat(capped.gauges()).hasSize(1);
  }

  @Test
  void removingByLabelsDropsEveryMatchingSeriesAndFreesRoom() {
    ServerMetrics capped = new ServerMetrics(3);
    capped.distribution("queue_time", "ms", Map.of("model", "m", "version", "1"));
    capped.distribution(
        "request_latency", "ms", Map.of("model", "m", "version", "1", "status", "OK"));
    capped.gauge("queue_depth", Map.of("model", "m", "version", "1"), () -> 0);

    capped.removeSeries(Map.of("model", "m", "version", "1"));
    capped.distribution("queue_time", "ms", Map.of("model", "m", "version", "2"));

    assertThat(capped.seriesCount()).isEqualTo(1);
    assertThat(capped.overflowed()).isZero();
  }

  @Test
  void anUnloadedVersionLosesItsSeriesAndAModelGoneFromTheRegistryLosesTheRest() {
    Set<String> known = new HashSet<>(Set.of("m"));
    RetiredVersionMetrics retirement = new RetiredVersionMetrics(metrics, known::contains);
    metrics.distribution("queue_time", "ms", Map.of("model", "m", "version", "1"));
    metrics.distribution("queue_time", "ms", Map.of("model", "m", "version", "2"));
    metrics.distribution(
        "request_latency", "ms", Map.of("model", "m", "version", "0", "status", "NOT_FOUND"));

    retirement.versionStateChanged(new ModelVersionId("m", 1), VersionState.UNLOADING);
    assertThat(metrics.seriesCount()).isEqualTo(3);
    retirement.versionStateChanged(new ModelVersionId("m", 1), VersionState.UNLOADED);
    assertThat(metrics.distributions(false))
        .extracting(entry -> entry.getKey().labels().get("version"))
        .containsExactlyInAnyOrder("2", "0");

    known.remove("m");
    retirement.versionStateChanged(new ModelVersionId("m", 2), VersionState.UNLOADED);
    assertThat(metrics.seriesCount()).isZero();
  }

  @Test
  void seriesWithALabelValueThatIsGoneAreRemoved() {
    metrics.distribution("arm_latency", "ms", Map.of("endpoint", "deleted", "arm", "m@1"));
    metrics.distribution("arm_latency", "ms", Map.of("endpoint", "kept", "arm", "m@1"));
    metrics.distribution("queue_time", "ms", Map.of("model", "m", "version", "1"));

    metrics.removeSeriesWhere("endpoint", name -> name.equals("deleted"));

    assertThat(metrics.distributions(false))
        .extracting(entry -> entry.getKey().labels())
        .containsExactlyInAnyOrder(
            Map.of("endpoint", "kept", "arm", "m@1"), Map.of("model", "m", "version", "1"));
  }
}
