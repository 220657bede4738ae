package dev.swinserve.registry;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, for one model, what to do next given what is on disk, what should be served and what
 * state each tracked version is in. Stateless; the registry applies the decision and asks again
 * after every change (a scan, a load finishing, a version unloading, a label moving).
 *
 * <p>The rules, which keep a model serving through upgrades, failures and deletions (as TensorFlow
 * Serving's availability-preserving policy does):
 *
 * <ul>
 *   <li>Load every desired version that is not tracked, or that was unloaded earlier. A version
 *       being retired is loaded again only once it has unloaded.
 *   <li>An AVAILABLE version that is no longer desired (the policy moved on, its label moved, or
 *       its directory is gone: it is already in memory) keeps serving while any desired version is
 *       still on its way (not tracked, loading, warming, or unloading before a reload).
 *   <li>Once every desired version has settled, each desired version that FAILED is stood in for by
 *       one of those no-longer-desired AVAILABLE versions, the newest first; the rest retire. So a
 *       failed new version never costs a serving one, and a version replaced by one that became
 *       available retires.
 *   <li>Forget failed and unloaded versions whose directories are gone. A failed version whose
 *       directory is still there stays failed and is not retried (the registry retries it when the
 *       directory changes).
 * </ul>
 */
final class AvailabilityPreservingPolicy {

  /** What to do; every set holds version numbers. */
  record Transitions(Set<Long> load, Set<Long> retire, Set<Long> forget) {

    boolean isEmpty() {
      return load.isEmpty() && retire.isEmpty() && forget.isEmpty();
    }
  }

  private AvailabilityPreservingPolicy() {}

  /**
   * @param onDisk the versions whose directories exist
   * @param desired the versions that should serve, a subset of {@code onDisk}
   * @param current the state of every version the registry tracks
   */
  static Transitions plan(Set<Long> onDisk, Set<Long> desired, Map<Long, VersionState> current) {
    Set<Long> load = new TreeSet<>();
    Set<Long> retire = new TreeSet<>();
    Set<Long> forget = new TreeSet<>();
    boolean desiredPending = false;
    int desiredFailed = 0;
    for (long version : desired) {
      VersionState state = current.get(version);
      if (state == null || state == VersionState.UNLOADED) {
        load.add(version);
        desiredPending = true;
      } else if (state == VersionState.FAILED) {
        desiredFailed++;
      } else if (state != VersionState.AVAILABLE) {
        desiredPending = true;
      }
    }
    TreeSet<Long> replaceable = new TreeSet<>();
    current.forEach(
        (version, state) -> {
          if (state == VersionState.AVAILABLE && !desired.contains(version)) {
            replaceable.add(version);
          } else if ((state == VersionState.FAILED || state == VersionState.UNLOADED)
              && !onDisk.contains(version)) {
            forget.add(version);
          }
        });
    if (!desiredPending) {
      // The newest one per failed desired version stands in for it; the rest retire.
      replaceable.descendingSet().stream().skip(desiredFailed).forEach(retire::add);
    }
    return new Transitions(load, retire, forget);
  }
}
