package dev.swinserve.registry;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, for one model, what to do next given what is on disk, what should be served and what
 * state each tracked version is in. Stateless; the registry applies the decision and asks again
 * after every change (a scan, a load finishing, a version unloading, a label moving).
 *
 * <p>The rules, which keep a model serving through upgrades (as TensorFlow Serving's
 * availability-preserving policy does):
 *
 * <ul>
 *   <li>Load every desired version that is not tracked, or that was unloaded earlier. A version
 *       being retired is loaded again only once it has unloaded.
 *   <li>Retire a version whose directory is gone at once, serving or not.
 *   <li>Retire a version that is on disk but no longer desired only once the desired versions
 *       have all settled (none loading or warming) and at least one of them is available. So the
 *       old version serves until the new one is available, and keeps serving if it fails.
 *   <li>Forget failed and unloaded versions whose directories are gone. A failed version whose
 *       directory is still there stays failed and is not retried (the registry retries it when
 *       the directory changes).
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
    boolean desiredAvailable = false;
    for (long version : desired) {
      VersionState state = current.get(version);
      if (state == null || state == VersionState.UNLOADED) {
        load.add(version);
        desiredPending = true;
      } else if (state == VersionState.LOADING || state == VersionState.WARMING) {
        desiredPending = true;
      } else if (state == VersionState.AVAILABLE) {
        desiredAvailable = true;
      }
    }
    boolean replacementReady = desiredAvailable && !desiredPending;
    current.forEach((version, state) -> {
      boolean present = onDisk.contains(version);
      if (state == VersionState.AVAILABLE && (!present || (!desired.contains(version) && replacementReady))) {
        retire.add(version);
      } else if ((state == VersionState.FAILED || state == VersionState.UNLOADED) && !present) {
        forget.add(version);
      }
    });
    return new Transitions(load, retire, forget);
  }
}
