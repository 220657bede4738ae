package dev.swinserve.server.grpc;

import dev.swinserve.api.v1.Distribution;
import dev.swinserve.api.v1.Gauge;
import dev.swinserve.api.v1.GetMetricsRequest;
import dev.swinserve.api.v1.GetMetricsResponse;
import dev.swinserve.api.v1.MetricsServiceGrpc;
import dev.swinserve.server.metrics.ServerMetrics;
import dev.swinserve.server.routing.Router;
import dev.swinserve.server.routing.RoutingTable;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;

/**
 * MetricsService: the server's distributions and gauges for load-test harnesses, plus two gauges
 * about the metrics themselves: {@code metrics_series} (series held) and {@code
 * metrics_series_overflowed} (new series refused since start because the cap was reached; their
 * values went into the {@code overflow=true} series). See {@link ServerMetrics} for the bounds.
 */
public final class MetricsGrpcService extends MetricsServiceGrpc.MetricsServiceImplBase {

  private final ServerMetrics metrics;
  private final Router router;

  @Inject
  public MetricsGrpcService(ServerMetrics metrics, Router router) {
    this.metrics = metrics;
    this.router = router;
  }

  @Override
  public void getMetrics(GetMetricsRequest request, StreamObserver<GetMetricsResponse> responses) {
    // Endpoints come and go by API or endpoints.yaml; their series go with them, checked here
    // against one table.
    RoutingTable endpoints = router.table();
    metrics.removeSeriesWhere("endpoint", name -> endpoints.endpoint(name).isEmpty());
    GetMetricsResponse.Builder response = GetMetricsResponse.newBuilder();
    metrics
        .distributions(request.getReset())
        .forEach(
            entry -> {
              var snapshot = entry.getValue();
              response.addDistributions(
                  Distribution.newBuilder()
                      .setName(entry.getKey().name())
                      .putAllLabels(entry.getKey().labels())
                      .setUnit(snapshot.unit())
                      .setCount(snapshot.count())
                      .setMean(snapshot.mean())
                      .setP50(snapshot.p50())
                      .setP90(snapshot.p90())
                      .setP99(snapshot.p99())
                      .setMax(snapshot.max())
                      .putAllValueCounts(snapshot.valueCounts()));
            });
    metrics
        .gauges()
        .forEach(
            entry ->
                response.addGauges(
                    Gauge.newBuilder()
                        .setName(entry.getKey().name())
                        .putAllLabels(entry.getKey().labels())
                        .setValue(entry.getValue())));
    response.addGauges(
        Gauge.newBuilder().setName("metrics_series").setValue(metrics.seriesCount()));
    response.addGauges(
        Gauge.newBuilder().setName("metrics_series_overflowed").setValue(metrics.overflowed()));
    responses.onNext(response.build());
    responses.onCompleted();
  }
}
