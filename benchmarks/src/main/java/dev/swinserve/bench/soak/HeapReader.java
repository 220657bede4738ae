package dev.swinserve.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java heap a JVM has committed, asked of it with {@code jcmd PID GC.heap_info} (about 0.15 s
 * of CPU a time). The resident size minus this is what the JVM's heap does not explain: native
 * memory such as TensorFlow's, where a leak of unloaded versions would show.
 */
final class HeapReader {

  /** A heap line: {@code garbage-first heap total 397312K, used 17946K}, or one per generation. */
  private static final Pattern TOTAL = Pattern.compile("total (\\d+)K, used \\d+K");

  private final String jcmd;
  private final long pid;

  HeapReader(long pid) {
    this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    this.pid = pid;
  }

  /** The committed heap in bytes; empty when {@code jcmd} does not answer within 20 s. */
  OptionalLong committedBytes() {
    Path output = null;
    try {
      // Output to a file, not a pipe: reading a pipe would block past the timeout on a jcmd that
      // hangs.
      output = Files.createTempFile("swinserve-heap-info", ".txt");
      Process process =
          new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info")
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        return OptionalLong.empty();
      }
      return committedBytes(Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    } finally {
      if (output != null) {
        output.toFile().delete();
      }
    }
  }

  /** The sum of the heap lines' totals in {@code GC.heap_info} output (Metaspace is not heap). */
  static OptionalLong committedBytes(String heapInfo) {
    long kilobytes = 0;
    boolean found = false;
    for (String line : heapInfo.split("\n")) {
      Matcher matcher = TOTAL.matcher(line);
      if (matcher.find() && !line.contains("Metaspace") && !line.contains("class space")) {
        kilobytes += Long.parseLong(matcher.group(1));
        found = true;
      }
    }
    return found ? OptionalLong.of(kilobytes * 1024) : OptionalLong.empty();
  }
}
