package dev.swinserve.server.logging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Turns gRPC's and Netty's transport logs about misbehaving clients into one line per event kind,
 * rate-limited. Left alone, grpc-java logs every message over the size limit ("Exception processing
 * message", WARNING) and every broken connection ("Transport failed", INFO) with a full stack
 * trace: a client that sends many such calls drowns the log. Each such record becomes one line
 * (message and cause, no stack trace), at most one per kind (logger, message, cause type) per
 * {@link #WINDOW}, saying how many like it were suppressed since the last. Records below INFO pass
 * unchanged.
 *
 * <p>Java logging holds loggers weakly, so an installed filter keeps its loggers referenced.
 */
public final class TransportLogFilter implements Filter {

  public static final Duration WINDOW = Duration.ofSeconds(10);

  /** The transport loggers that report client behaviour, as grpc-netty-shaded names them. */
  public static final List<String> LOGGERS =
      List.of(
          "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream",
          "io.grpc.netty.shaded.io.grpc.netty.NettyServerTransport.connections",
          "io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler",
          "io.grpc.netty.shaded.io.netty.channel.DefaultChannelPipeline");

  /** The filter {@link #install()} put in place, held so that it and its loggers stay. */
  private static volatile TransportLogFilter installed;

  private final LogRateLimiter limiter;
  private final List<Logger> installedOn = new ArrayList<>();

  public TransportLogFilter(LongSupplier nanoTime) {
    this.limiter = new LogRateLimiter(WINDOW, nanoTime);
  }

  /** Installs one filter on every one of {@link #LOGGERS}, for the life of the process. */
  public static TransportLogFilter install() {
    TransportLogFilter filter = new TransportLogFilter(System::nanoTime);
    LOGGERS.forEach(name -> filter.installOn(Logger.getLogger(name)));
    installed = filter;
    return filter;
  }

  /** Filters {@code logger}'s records from now on, replacing any filter it had. */
  public void installOn(Logger logger) {
    logger.setFilter(this);
    synchronized (installedOn) {
      installedOn.add(logger);
    }
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    if (record.getLevel().intValue() < Level.INFO.intValue()) {
      return true;
    }
    Throwable thrown = record.getThrown();
    String kind =
        record.getLoggerName()
            + "|"
            + record.getMessage()
            + "|"
            + (thrown == null ? "" : thrown.getClass().getName());
    long suppressed = limiter.admit(kind);
    if (suppressed < 0) {
      return false;
    }
    StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
    if (thrown != null) {
      line.append(": ").append(firstLine(thrown));
    }
    line.append(" (at most one such line per ").append(WINDOW.toSeconds()).append(" s");
    if (suppressed > 0) {
      line.append("; ").append(suppressed).append(" like it suppressed since the last");
    }
    line.append(')');
    record.setMessage(line.toString());
    record.setParameters(null);
    record.setThrown(null);
    return true;
  }

  private static String firstLine(Throwable thrown) {
    String text = thrown.toString();
    int newline = text.indexOf('\n');
    text = newline < 0 ? text : text.substring(0, newline);
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
