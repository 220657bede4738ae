package dev.swinserve.server.security;

import io.grpc.Status;
import jakarta.inject.Singleton;

/**
 * One line per admin act, on the logger {@code swinserve.audit} (route it to a file of its own with
 * the logging configuration): who, what, with which request, what it answered (the state after,
 * e.g. a model's labels once one moved) and how it ended. Requests and answers are cut at 2 KiB.
 */
@Singleton
public class AuditLog {

  /** The audit logger's name. */
  public static final String LOGGER = "swinserve.audit";

  private static final System.Logger LOG = System.getLogger(LOGGER);
  private static final int MAX_CHARS = 2048;

  /** Writes one audit line. */
  public void record(
      String principal, String method, String request, String answer, Status status) {
    LOG.log(
        System.Logger.Level.INFO,
        "audit principal={0} method={1} status={2} request={3} answer={4}",
        principal,
        method,
        status.getCode()
            + (status.getDescription() == null ? "" : " (" + cut(status.getDescription()) + ")"),
        "{" + cut(request) + "}",
        "{" + cut(answer) + "}");
  }

  private static String cut(String text) {
    return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "…";
  }
}
