package dev.swinserve.server.runtime;

/**
 * How urgently a model run is wanted. {@link #BACKGROUND} work (copies for shadow arms) must never
 * slow the calls clients wait for: where the runtime can, it computes only on cores that {@link
 * #NORMAL} runs leave idle (the TensorFlow runtime gives it a session whose threads are under
 * Linux's {@code SCHED_IDLE} policy).
 */
public enum RunPriority {
  NORMAL,
  BACKGROUND
}
