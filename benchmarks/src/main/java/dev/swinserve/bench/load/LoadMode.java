package dev.swinserve.bench.load;

/** How requests travel to the server. */
public enum LoadMode {
  /** One {@code Classify} call per request. */
  UNARY,
  /** Requests over long-lived {@code ClassifyStream} calls, several unanswered per stream. */
  STREAM
}
