package dev.swinserve.registry;

/** The life of a model version, in TensorFlow Serving's and Triton's vocabulary. */
public enum VersionState {
  /**
   * Being read from disk, or waiting for room in the memory budget before that (its {@link
   * VersionStatus#error()} then says how much it needs and how much is free).
   */
  LOADING,
  /** Loaded, running warm-up requests; takes no traffic yet. */
  WARMING,
  /** Takes traffic. */
  AVAILABLE,
  /** Retired: takes no new traffic, waits for in-flight calls, then closes. */
  UNLOADING,
  /** Closed. Kept in listings until its directory disappears from the repository. */
  UNLOADED,
  /** Failed to load or warm up; the reason is kept. Takes no traffic. */
  FAILED
}
