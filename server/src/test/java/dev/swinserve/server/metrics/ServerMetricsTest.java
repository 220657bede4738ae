package dev.swinserve.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {

  private final ServerMetrics metrics = new ServerMetrics();

  @Test
  void aWeakGaugeReadsItsSourceAndLeavesOnceTheSourceIsGone() throws InterruptedException {
    Map<String, String> labels = Map.of("model", "m", "version", "1");
    AtomicInteger depth = new AtomicInteger(3);
    metrics.weakGauge("queue_depth", labels, depth, AtomicInteger::get);
    metrics.gauge("kept", Map.of(), () -> 1);

    assertThat(metrics.gauges()).containsExactlyInAnyOrder(
        Map.entry(new ServerMetrics.SeriesKey("queue_depth", labels), 3.0),
        Map.entry(new ServerMetrics.SeriesKey("kept", Map.of()), 1.0));

    depth = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (metrics.gauges().size() > 1 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(metrics.gauges()).as("the retired source's gauge is gone, the other stays")
        .containsExactly(Map.entry(new ServerMetrics.SeriesKey("kept", Map.of()), 1.0));
  }
}
