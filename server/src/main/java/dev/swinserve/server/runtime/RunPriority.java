package dev.swinserve.server.runtime;

/**
 * How urgently a model run is wanted. {@link #BACKGROUND} work (copies for shadow arms) must never
 * slow the calls clients wait for: where the runtime can, it gets a single inter-op thread shared
 * by all background work of the process, so it runs one operation at a time and leaves the other
 * cores to {@link #NORMAL} runs.
 */
public enum RunPriority {
  NORMAL,
  BACKGROUND
}
