package dev.swinserve.bench.soak;

import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The version folders the chaos has put in one model's folder, good or corrupt, and the rules it
 * changes them by: new versions get the next number never used, a delete never takes the last good
 * version (so a good call always has a version that can answer it), and at most {@code limit}
 * folders exist at once. Not thread-safe: the chaos thread owns it.
 */
final class VersionFolders {

  private final TreeMap<Long, Boolean> corruptByVersion = new TreeMap<>();
  private final int limit;
  private long highest;

  /** Starts with {@code goodVersions} on disk and room for {@code limit} folders. */
  VersionFolders(List<Long> goodVersions, int limit) {
    if (goodVersions.isEmpty()) {
      throw new IllegalArgumentException("a model starts with at least one good version");
    }
    for (long version : goodVersions) {
      corruptByVersion.put(version, false);
      highest = Math.max(highest, version);
    }
    this.limit = limit;
  }

  boolean full() {
    return corruptByVersion.size() >= limit;
  }

  /**
   * The number the next added version gets: above every number used before, deleted ones included.
   */
  long nextVersion() {
    return highest + 1;
  }

  /** Records that {@code version} (which must be {@link #nextVersion()}) is now on disk. */
  void added(long version, boolean corrupt) {
    if (version != nextVersion()) {
      throw new IllegalArgumentException("expected version " + nextVersion() + ", got " + version);
    }
    corruptByVersion.put(version, corrupt);
    highest = version;
  }

  /**
   * A version that may be deleted, drawn uniformly from every folder except the last good one;
   * empty when the only folder left is good.
   */
  OptionalLong chooseDeletion(SplittableRandom random) {
    long good = corruptByVersion.values().stream().filter(corrupt -> !corrupt).count();
    List<Long> candidates =
        corruptByVersion.entrySet().stream()
            .filter(entry -> entry.getValue() || good > 1)
            .map(java.util.Map.Entry::getKey)
            .toList();
    if (candidates.isEmpty()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(candidates.get(random.nextInt(candidates.size())));
  }

  /** Records that {@code version}'s folder is gone. */
  void deleted(long version) {
    if (corruptByVersion.remove(version) == null) {
      throw new IllegalArgumentException("no version " + version);
    }
  }

  /** Every version folder on disk, lowest first. */
  List<Long> versions() {
    return List.copyOf(corruptByVersion.keySet());
  }

  /** The good (not corrupt) version folders, lowest first. */
  List<Long> goodVersions() {
    return corruptByVersion.entrySet().stream()
        .filter(entry -> !entry.getValue())
        .map(java.util.Map.Entry::getKey)
        .toList();
  }
}
