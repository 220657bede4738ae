package dev.swinserve.bench.soak;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the chaos does next and after how long: every choice drawn from one seeded random, so a run
 * with the same seed makes the same choices in the same order (what they meet on the server can
 * still differ with timing). Not thread-safe: one chaos thread draws from it.
 */
final class ChaosPlan {

  /** The disturbances, each with how often it is drawn relative to the others. */
  enum Action {
    /**
     * A copy of a good version under the next free number, renamed into place from a staging
     * folder.
     */
    ADD_VERSION(3),
    /** A version folder removed, any but a model's last good one (the serving one included). */
    DELETE_VERSION(2),
    /** A version under the next free number whose {@code saved_model.pb} is garbage. */
    ADD_CORRUPT_VERSION(1),
    /** {@code SetLabel(model, stable, v)} to another AVAILABLE version. */
    FLIP_LABEL(3),
    /** {@code endpoints.yaml} rewritten with other arm weights, by rename. */
    REWRITE_ENDPOINTS(2),
    /** One request or call that must be refused. */
    BAD_INPUT(6);

    private final int weight;

    Action(int weight) {
      this.weight = weight;
    }
  }

  /** Pause for {@code pause}, then do {@code action}. */
  record Step(Duration pause, Action action) {}

  private static final int TOTAL_WEIGHT =
      List.of(Action.values()).stream().mapToInt(action -> action.weight).sum();

  private final SplittableRandom random;
  private final Duration minWait;
  private final Duration maxWait;

  ChaosPlan(long seed, Duration minWait, Duration maxWait) {
    this.random = new SplittableRandom(seed);
    this.minWait = minWait;
    this.maxWait = maxWait;
  }

  /** The next step: a wait uniform in [minWait, maxWait] and an action drawn by weight. */
  Step next() {
    long spread = maxWait.toMillis() - minWait.toMillis();
    Duration wait = minWait.plusMillis(spread == 0 ? 0 : random.nextLong(spread + 1));
    int draw = random.nextInt(TOTAL_WEIGHT);
    for (Action action : Action.values()) {
      draw -= action.weight;
      if (draw < 0) {
        return new Step(wait, action);
      }
    }
    throw new AssertionError("weights do not add up");
  }

  /** The random the actions draw their details from (which model, version, weights, input). */
  SplittableRandom random() {
    return random;
  }
}
