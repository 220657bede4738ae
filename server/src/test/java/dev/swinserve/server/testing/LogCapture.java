package dev.swinserve.server.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The records one class logs (through {@code System.Logger}, which goes to java.util.logging) while
 * open, at every level. Close it to stop capturing.
 */
public final class LogCapture extends Handler implements AutoCloseable {

  private final Logger logger;
  private final Level previousLevel;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
    this.previousLevel = logger.getLevel();
    setLevel(Level.ALL);
    logger.setLevel(Level.ALL);
    logger.addHandler(this);
  }

  public static LogCapture of(Class<?> source) {
    return new LogCapture(Logger.getLogger(source.getName()));
  }

  /** The records of the logger named {@code name} (e.g. the audit log's). */
  public static LogCapture named(String name) {
    return new LogCapture(Logger.getLogger(name));
  }

  /** The messages so far, their parameters filled in. */
  public List<String> messages() {
    SimpleFormatter formatter = new SimpleFormatter();
    return records.stream().map(formatter::formatMessage).toList();
  }

  /** How many messages so far contain {@code text}. */
  public long count(String text) {
    return messages().stream().filter(message -> message.contains(text)).count();
  }

  public List<LogRecord> records() {
    return List.copyOf(records);
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(previousLevel);
  }
}
