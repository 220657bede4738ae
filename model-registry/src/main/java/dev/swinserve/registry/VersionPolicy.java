package dev.swinserve.registry;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of the versions present on disk are served, as in TensorFlow Serving: the newest N, all, or
 * a given set. Stateless: it maps what is on disk to what should be loaded.
 */
public sealed interface VersionPolicy {

  /** The versions to serve, given the versions present. */
  Set<Long> select(Collection<Long> present);

  static VersionPolicy latest(int count) {
    return new Latest(count);
  }

  static VersionPolicy all() {
    return new All();
  }

  static VersionPolicy specific(Collection<Long> versions) {
    return new Specific(Set.copyOf(versions));
  }

  record Latest(int count) implements VersionPolicy {
    public Latest {
      if (count < 1) {
        throw new IllegalArgumentException("latest version count must be at least 1, got " + count);
      }
    }

    @Override
    public Set<Long> select(Collection<Long> present) {
      List<Long> newestFirst =
          new TreeSet<>(present).descendingSet().stream().limit(count).toList();
      return new TreeSet<>(newestFirst);
    }
  }

  record All() implements VersionPolicy {
    @Override
    public Set<Long> select(Collection<Long> present) {
      return new TreeSet<>(present);
    }
  }

  record Specific(Set<Long> versions) implements VersionPolicy {
    @Override
    public Set<Long> select(Collection<Long> present) {
      Set<Long> selected = new TreeSet<>(present);
      selected.retainAll(versions);
      return selected;
    }
  }
}
