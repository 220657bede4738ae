package dev.swinserve.server.runtime.tensorflow;

import dev.swinserve.server.testing.Settled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Counts the threads TensorFlow starts for sessions: they inherit the name of the thread that
 * creates them, so counting the threads named like the test's leaves out JVM threads (compiler, GC)
 * that start or end meanwhile.
 */
final class NativeThreads {

  private NativeThreads() {}

  /** The calling thread's name as the kernel keeps it (at most 15 bytes). */
  static String nameOfThisOne() throws IOException {
    return Files.readString(Path.of("/proc/thread-self/comm")).strip();
  }

  /** Threads of this process named like the calling thread, itself included. */
  static long namedLikeThisOne() throws IOException {
    return namedLike(nameOfThisOne()).size();
  }

  /**
   * The {@code /proc/self/task} entries of the threads whose name is {@code name} as the kernel
   * keeps it.
   */
  static List<Path> namedLike(String name) throws IOException {
    String comm = name.length() > 15 ? name.substring(0, 15) : name;
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      return tasks.filter(task -> comm.equals(commOf(task))).toList();
    }
  }

  /**
   * {@link #namedLikeThisOne()} once it has stopped changing: a thread that TensorFlow has joined
   * can stay listed for a moment while the kernel finishes its exit.
   */
  static long settledCount() throws IOException {
    return settledCount(nameOfThisOne());
  }

  /** The number of threads named {@code name} once it has stopped changing. */
  static long settledCount(String name) throws IOException {
    return Settled.value(
        () -> namedLike(name).size(), 1, Duration.ofMillis(50), Duration.ofSeconds(5));
  }

  private static String commOf(Path task) {
    try {
      return Files.readString(task.resolve("comm")).strip();
    } catch (IOException e) {
      return ""; // the thread ended while listing
    }
  }
}
