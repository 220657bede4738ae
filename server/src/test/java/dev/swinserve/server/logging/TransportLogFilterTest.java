package dev.swinserve.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class TransportLogFilterTest {

  private final AtomicLong clock = new AtomicLong();
  private final TransportLogFilter filter = new TransportLogFilter(clock::get);
  private final List<LogRecord> published = new CopyOnWriteArrayList<>();

  @Test
  void aFloodOfOneKindBecomesOneLineWithoutAStackTraceAndThenACountOfTheRest() {
    Logger logger = Logger.getAnonymousLogger();
    logger.setLevel(Level.ALL);
    logger.setUseParentHandlers(false);
    logger.addHandler(collector());
    filter.installOn(logger);

    for (int i = 0; i < 50; i++) {
      logger.log(
          Level.WARNING,
          "Exception processing message",
          new IllegalStateException("gRPC message exceeds maximum size 64: " + (1000 + i)));
    }
    logger.log(Level.INFO, "Transport failed", new IOException("Connection reset by peer"));
    logger.log(Level.FINE, "details", new IOException("kept as it is below INFO"));
    clock.addAndGet(TransportLogFilter.WINDOW.toNanos());
    logger.log(
        Level.WARNING, "Exception processing message", new IllegalStateException("exceeds again"));

    assertThat(published)
        .extracting(LogRecord::getMessage)
        .containsExactly(
            "Exception processing message: java.lang.IllegalStateException: gRPC message exceeds maximum size 64: 1000"
                + " (at most one such line per 10 s)",
            "Transport failed: java.io.IOException: Connection reset by peer (at most one such line per 10 s)",
            "details",
            "Exception processing message: java.lang.IllegalStateException: exceeds again"
                + " (at most one such line per 10 s; 49 like it suppressed since the last)");
    assertThat(published.get(0).getThrown()).isNull();
    assertThat(published.get(2).getThrown()).as("FINE untouched").isNotNull();
  }

  /** The logger grpc-java really uses: oversized messages on a real Netty server. */
  @Test
  void oversizedMessagesOnANettyServerLogOneLine() throws Exception {
    Logger logger = Logger.getLogger(TransportLogFilter.LOGGERS.get(0));
    Handler handler = collector();
    logger.addHandler(handler);
    filter.installOn(logger);
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .maxInboundMessageSize(64)
            .addService(new HealthStatusManager().getHealthService())
            .build()
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    try {
      HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
      HealthCheckRequest oversized =
          HealthCheckRequest.newBuilder().setService("s".repeat(1000)).build();
      for (int i = 0; i < 20; i++) {
        assertThatThrownBy(() -> health.withDeadlineAfter(30, TimeUnit.SECONDS).check(oversized))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
      }
      clock.addAndGet(Duration.ofSeconds(10).toNanos());
      assertThatThrownBy(() -> health.check(oversized)).isInstanceOf(StatusRuntimeException.class);

      assertThat(published).as("one line for the first 20, one for the 21st").hasSize(2);
      assertThat(published).allSatisfy(record -> assertThat(record.getThrown()).isNull());
      assertThat(published.get(0).getMessage())
          .contains("Exception processing message")
          .contains("exceeds maximum size 64");
      assertThat(published.get(1).getMessage()).contains("19 like it suppressed");
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
      logger.setFilter(null);
      logger.removeHandler(handler);
    }
  }

  private Handler collector() {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (isLoggable(record) && record.getLevel().intValue() >= Level.FINE.intValue()) {
          published.add(record);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }
}
