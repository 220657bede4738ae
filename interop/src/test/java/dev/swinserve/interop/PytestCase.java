package dev.swinserve.interop;

import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

/**
 * One pytest case as its JUnit XML report tells it.
 *
 * @param nodeId pytest's node id, {@code file.py::test_name[parameters]}
 * @param outcome how it ended
 * @param message pytest's one-line message; empty when it passed
 * @param details pytest's longer report (the traceback, the skip reason); empty when it passed
 */
record PytestCase(String nodeId, Outcome outcome, String message, String details) {

  enum Outcome {
    PASSED,
    FAILED,
    /** An error outside the test body: a fixture, collection, teardown. */
    ERROR,
    SKIPPED,
    /** Expected to fail and failed ({@code xfail}); pytest reports it as skipped. */
    XFAIL
  }

  /**
   * A JUnit test named by the node id that passes only if the case passed: a skip or an expected
   * failure fails it too, since a client call that is not exercised proves nothing.
   */
  DynamicTest toDynamicTest() {
    return DynamicTest.dynamicTest(
        nodeId,
        () -> {
          if (outcome != Outcome.PASSED) {
            throw new AssertionFailedError(failureMessage());
          }
        });
  }

  String failureMessage() {
    String what =
        switch (outcome) {
          case PASSED -> "passed";
          case FAILED -> "failed";
          case ERROR -> "errored outside the test";
          case SKIPPED -> "was skipped, and no case may be skipped";
          case XFAIL -> "was marked as an expected failure, and no case may be";
        };
    return "pytest: "
        + nodeId
        + " "
        + what
        + ": "
        + message
        + (details.isEmpty() ? "" : "\n" + details);
  }
}
