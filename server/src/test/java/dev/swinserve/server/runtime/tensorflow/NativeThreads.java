package dev.swinserve.server.runtime.tensorflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Counts the threads TensorFlow starts for sessions: they inherit the name of the thread that creates
 * them, so counting the threads named like the test's leaves out JVM threads (compiler, GC) that
 * start or end meanwhile.
 */
final class NativeThreads {

  private NativeThreads() {}

  /** Threads of this process named like the calling thread, itself included. */
  static long namedLikeThisOne() throws IOException {
    String name = Files.readString(Path.of("/proc/thread-self/comm"));
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      return tasks.filter(task -> name.equals(commOf(task))).count();
    }
  }

  /**
   * {@link #namedLikeThisOne()} once it has stopped changing: a thread that TensorFlow has joined can
   * stay listed for a moment while the kernel finishes its exit.
   */
  static long settledCount() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long previous = namedLikeThisOne();
    while (System.nanoTime() < deadline) {
      Thread.sleep(50);
      long current = namedLikeThisOne();
      if (current == previous) {
        return current;
      }
      previous = current;
    }
    return previous;
  }

  private static String commOf(Path task) {
    try {
      return Files.readString(task.resolve("comm"));
    } catch (IOException e) {
      return ""; // the thread ended while listing
    }
  }
}
