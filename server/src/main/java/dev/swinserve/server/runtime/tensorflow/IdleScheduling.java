package dev.swinserve.server.runtime.tensorflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Linux's {@code SCHED_IDLE} scheduling policy for the calling thread: a thread under it runs only
 * on a core that no thread of normal policy wants, and the threads it starts inherit the policy.
 * Java has no call for it, so it is set through util-linux's {@code chrt}, which every Debian-based
 * image carries. Lowering a thread's priority needs no privilege; where {@code chrt} is missing or
 * fails, the thread keeps its policy and the caller is told.
 */
final class IdleScheduling {

  /**
   * {@code SCHED_IDLE} in {@code sched.h} and in field 41 of {@code /proc/<pid>/task/<tid>/stat}.
   */
  static final int SCHED_IDLE = 5;

  private static final Path THIS_THREAD = Path.of("/proc/thread-self");

  private IdleScheduling() {}

  /**
   * Puts the calling thread under {@code SCHED_IDLE}.
   *
   * @return null when done, else why not
   */
  static String enter() {
    try {
      String tid = Files.readSymbolicLink(THIS_THREAD).getFileName().toString();
      Process chrt =
          new ProcessBuilder("chrt", "--idle", "--pid", "0", tid).redirectErrorStream(true).start();
      String output =
          new String(chrt.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!chrt.waitFor(10, TimeUnit.SECONDS)) {
        chrt.destroyForcibly();
        return "chrt did not finish in 10 s";
      }
      if (chrt.exitValue() != 0) {
        return "chrt exited with " + chrt.exitValue() + ": " + output;
      }
      int policy = policyOf(THIS_THREAD);
      return policy == SCHED_IDLE ? null : "chrt left the thread under policy " + policy;
    } catch (IOException e) {
      return "cannot run chrt: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while running chrt";
    }
  }

  /** The scheduling policy of a thread, e.g. {@code /proc/self/task/<tid>}: 0 normal, 5 idle. */
  static int policyOf(Path task) throws IOException {
    String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
    // Fields follow the command name, which is in parentheses and may hold spaces or ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Integer.parseInt(fields[41 - 3]);
  }
}
