package dev.swinserve.bench.soak;

import io.grpc.Status;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Counts of outcomes by key (a status and its cause, an action and its result), each with the run
 * times of its first and last occurrence, so a burst of failures can be lined up with the chaos
 * that came before it. Thread-safe.
 */
final class Tally {

  /** How many times a key was recorded, and when first and last, in seconds since the run began. */
  record Entry(long count, double firstSeconds, double lastSeconds) {

    Entry plus(double seconds) {
      return new Entry(count + 1, firstSeconds, seconds);
    }
  }

  private static final int CAUSE_LENGTH = 160;

  private final Map<String, Entry> entries = new TreeMap<>();

  /** Counts one occurrence of {@code key} at {@code seconds} into the run. */
  synchronized void record(String key, double seconds) {
    entries.merge(key, new Entry(1, seconds, seconds), (old, one) -> old.plus(seconds));
  }

  /** Every key recorded so far, in key order. */
  synchronized SortedMap<String, Entry> entries() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(entries));
  }

  /** How many occurrences all keys have together. */
  synchronized long total() {
    return entries.values().stream().mapToLong(Entry::count).sum();
  }

  /** Occurrence counts summed by the part of each key before the first {@code ": "}: by status. */
  synchronized SortedMap<String, Long> byPrefix() {
    SortedMap<String, Long> sums = new TreeMap<>();
    entries.forEach((key, entry) -> sums.merge(prefix(key), entry.count(), Long::sum));
    return sums;
  }

  private static String prefix(String key) {
    int end = key.indexOf(": ");
    return end < 0 ? key : key.substring(0, end);
  }

  /**
   * The key a failure is counted under: its status code and its description with every number
   * replaced by {@code N} and the lists of a model's versions or labels by {@code ...}, so that the
   * same cause with other versions or request ids is counted once (for example {@code UNAVAILABLE:
   * label 'stable' points at version N, which is not loaded (versions: ...)}).
   */
  static String cause(Status status) {
    String description = status.getDescription() == null ? "" : status.getDescription();
    String general =
        description
            .replaceAll("\\((versions|labels): [^)]*\\)", "($1: ...)")
            .replaceAll("\\d+", "N")
            .replaceAll("\\s+", " ")
            .strip();
    if (general.length() > CAUSE_LENGTH) {
      general = general.substring(0, CAUSE_LENGTH) + "...";
    }
    return general.isEmpty() ? status.getCode().name() : status.getCode().name() + ": " + general;
  }
}
