package dev.swinserve.bench.soak;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The server's resident size over a run, read from {@code /proc/PID/status} (VmRSS) by whoever
 * calls {@link #sample}, with what explains part of it at the time: the committed Java heap (which
 * the JVM grows under allocation pressure up to its maximum) and the number of AVAILABLE versions
 * (each holds its own weights and session). Thread-safe.
 */
final class ResidentSampler {

  /** A source of the resident size in bytes. */
  interface Source {
    long residentBytes() throws IOException;
  }

  /**
   * The resident size {@code bytes} read {@code seconds} into the run, with the committed heap
   * {@code heapBytes} and {@code availableVersions} versions AVAILABLE (-1: unknown).
   */
  record Sample(double seconds, long bytes, long heapBytes, int availableVersions) {

    double megabytes() {
      return bytes / 1048576.0;
    }

    double heapMegabytes() {
      return heapBytes < 0 ? -1 : heapBytes / 1048576.0;
    }

    /** The resident size the committed heap does not account for; -1 when the heap is unknown. */
    double outsideHeapMegabytes() {
      return heapBytes < 0 ? -1 : (bytes - heapBytes) / 1048576.0;
    }
  }

  private final Source source;
  private final LongSupplier heapBytes;
  private final IntSupplier availableVersions;
  private final List<Sample> samples = new ArrayList<>();

  /** {@code heapBytes} and {@code availableVersions} answer -1 when they cannot tell. */
  ResidentSampler(Source source, LongSupplier heapBytes, IntSupplier availableVersions) {
    this.source = source;
    this.heapBytes = heapBytes;
    this.availableVersions = availableVersions;
  }

  /** Reads the sizes now; a server that has gone away gives no sample. */
  void sample(double seconds) {
    long resident;
    try {
      resident = source.residentBytes();
    } catch (IOException | RuntimeException e) {
      return;
    }
    Sample sample =
        new Sample(seconds, resident, heapBytes.getAsLong(), availableVersions.getAsInt());
    synchronized (this) {
      samples.add(sample);
    }
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** The first sample read at or after {@code seconds}: the sizes at that mark. */
  synchronized Optional<Sample> at(double seconds) {
    return samples.stream().filter(sample -> sample.seconds() >= seconds).findFirst();
  }

  /** The last sample read. */
  synchronized Optional<Sample> last() {
    return samples.isEmpty() ? Optional.empty() : Optional.of(samples.get(samples.size() - 1));
  }
}
