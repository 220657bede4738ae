package dev.swinserve.bench.soak;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's resident size over a run, read from {@code /proc/PID/status} (VmRSS) by whoever
 * calls {@link #sample}. Thread-safe.
 */
final class ResidentSampler {

  /** A source of the resident size in bytes. */
  interface Source {
    long residentBytes() throws IOException;
  }

  /** The resident size {@code bytes} read {@code seconds} into the run. */
  record Sample(double seconds, long bytes) {

    double megabytes() {
      return bytes / 1048576.0;
    }
  }

  private final Source source;
  private final List<Sample> samples = new ArrayList<>();

  ResidentSampler(Source source) {
    this.source = source;
  }

  /** Reads the size now; a server that has gone away gives no sample. */
  synchronized Optional<Sample> sample(double seconds) {
    try {
      Sample sample = new Sample(seconds, source.residentBytes());
      samples.add(sample);
      return Optional.of(sample);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** The first sample read at or after {@code seconds}: the resident size at that mark. */
  synchronized Optional<Sample> at(double seconds) {
    return samples.stream().filter(sample -> sample.seconds() >= seconds).findFirst();
  }

  /** The last sample read. */
  synchronized Optional<Sample> last() {
    return samples.isEmpty() ? Optional.empty() : Optional.of(samples.get(samples.size() - 1));
  }
}
