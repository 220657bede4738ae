package dev.swinserve.registry;

/**
 * Told about changes in the registry, e.g. to drive per-model health or metrics.
 *
 * <p>Calls come after the change is visible through {@link ModelRegistry#status(String)}, in the
 * order the changes happened, one at a time (never concurrently), from whichever registry or caller
 * thread made the change, and with no registry lock held. A listener should return quickly; an
 * exception it throws is logged and ignored. A listener hears only about changes after it was
 * added.
 */
@FunctionalInterface
public interface RegistryListener {

  /**
   * The model gained its first {@link VersionState#AVAILABLE} version ({@code serving} true) or
   * lost its last one ({@code serving} false), including by disappearing from the repository or by
   * the registry closing.
   */
  void servingChanged(String model, boolean serving);

  /** A version entered {@code state}. Does nothing unless overridden. */
  default void versionStateChanged(ModelVersionId version, VersionState state) {}
}
