package dev.swinserve.registry;

import java.util.OptionalLong;

/**
 * The memory the loaded versions may take together, after TensorFlow Serving's {@code
 * ResourceTracker}: a version reserves its loader's estimate before it loads and gives it back once
 * it is UNLOADED or FAILED, so a load that would not fit beside the versions already holding memory
 * waits instead. Nothing is ever unloaded to make room. Not thread-safe; guarded by the registry's
 * lock.
 */
final class MemoryBudget {

  private static final long MEBIBYTE = 1 << 20;

  private final OptionalLong limitBytes;
  private long reservedBytes;

  /**
   * @param limitBytes empty: unlimited, and estimates are never asked for
   */
  MemoryBudget(OptionalLong limitBytes) {
    this.limitBytes = limitBytes;
  }

  boolean isLimited() {
    return limitBytes.isPresent();
  }

  /** Whether {@code bytes} would not fit even with nothing loaded. */
  boolean exceedsWhole(long bytes) {
    return isLimited() && bytes > limitBytes.getAsLong();
  }

  boolean fits(long bytes) {
    return !isLimited() || bytes <= freeBytes();
  }

  /** Reserves {@code bytes} for {@code version} if they fit; false if not. */
  boolean tryReserve(ManagedVersion<?> version, long bytes) {
    if (!fits(bytes)) {
      return false;
    }
    reservedBytes += bytes;
    version.reserve(bytes);
    return true;
  }

  /** Gives back what {@code version} reserved, if anything; true if that was more than nothing. */
  boolean release(ManagedVersion<?> version) {
    long bytes = version.takeReservation();
    reservedBytes -= bytes;
    return bytes > 0;
  }

  /**
   * Why a version of that size waits, e.g. "needs 300 MiB, 200 MiB of the 1024 MiB memory budget
   * free".
   */
  String shortfall(long bytes) {
    return "waiting for memory: needs "
        + mebibytesUp(bytes)
        + " MiB, "
        + freeBytes() / MEBIBYTE
        + " MiB of the "
        + limitBytes.getAsLong() / MEBIBYTE
        + " MiB memory budget free";
  }

  /** Why a version of that size can never load. */
  String tooLarge(long bytes) {
    return "needs "
        + mebibytesUp(bytes)
        + " MiB of memory, more than the whole "
        + limitBytes.getAsLong() / MEBIBYTE
        + " MiB memory budget";
  }

  private long freeBytes() {
    return limitBytes.getAsLong() - reservedBytes;
  }

  private static long mebibytesUp(long bytes) {
    return bytes / MEBIBYTE + (bytes % MEBIBYTE == 0 ? 0 : 1);
  }
}
