package dev.swinserve.bench.soak;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * Carries out a {@link ChaosPlan} until the run ends: each step waits, then changes the repository,
 * flips a label or sends a bad input, and records what happened. Bad inputs are counted by kind and
 * status; those that got another status than they should are counted again under their cause. Runs
 * on the thread that calls {@link #run}.
 */
final class Chaos {

  /** One action, {@code seconds} into the run. */
  record Event(double seconds, ChaosPlan.Action action, String detail) {}

  private final ChaosPlan plan;
  private final RepositoryChaos repository;
  private final LabelFlipper labels;
  private final BadInputs badInputs;
  private final DoubleSupplier elapsedSeconds;
  private final Tally actions = new Tally();
  private final Tally badInputsByStatus = new Tally();
  private final Tally badInputsUnexpected = new Tally();
  private final List<Event> events = new ArrayList<>();
  private long badInputSequence;

  Chaos(
      ChaosPlan plan,
      RepositoryChaos repository,
      LabelFlipper labels,
      BadInputs badInputs,
      DoubleSupplier elapsedSeconds) {
    this.plan = plan;
    this.repository = repository;
    this.labels = labels;
    this.badInputs = badInputs;
    this.elapsedSeconds = elapsedSeconds;
  }

  /** Takes steps until {@code System.nanoTime()} reaches {@code endNanos}. */
  void run(long endNanos) throws InterruptedException {
    while (true) {
      ChaosPlan.Step step = plan.next();
      long wakeUp = System.nanoTime() + step.pause().toNanos();
      if (wakeUp >= endNanos) {
        TimeUnit.NANOSECONDS.sleep(Math.max(0, endNanos - System.nanoTime()));
        return;
      }
      TimeUnit.NANOSECONDS.sleep(wakeUp - System.nanoTime());
      perform(step.action());
    }
  }

  void perform(ChaosPlan.Action action) {
    SplittableRandom random = plan.random();
    double now = elapsedSeconds.getAsDouble();
    if (action == ChaosPlan.Action.BAD_INPUT) {
      BadInputs.Outcome outcome = badInputs.send(random, badInputSequence++);
      badInputsByStatus.record(outcome.kind() + ": " + outcome.status().getCode(), now);
      if (!outcome.asExpected()) {
        badInputsUnexpected.record(
            outcome.kind()
                + " (expected "
                + outcome.kind().expected()
                + ") got "
                + Tally.cause(outcome.status()),
            now);
      }
      return;
    }
    String model = repository.chooseModel(random);
    ChaosPlan.Action done = action;
    String detail;
    try {
      if ((action == ChaosPlan.Action.ADD_VERSION || action == ChaosPlan.Action.ADD_CORRUPT_VERSION)
          && repository.full(model)) {
        done = ChaosPlan.Action.DELETE_VERSION;
      }
      detail =
          switch (done) {
            case ADD_VERSION -> repository.addVersion(model, false, random);
            case ADD_CORRUPT_VERSION -> repository.addVersion(model, true, random);
            case DELETE_VERSION -> repository.deleteVersion(model, random);
            case FLIP_LABEL -> labels.flip(model, random);
            case REWRITE_ENDPOINTS -> repository.rewriteEndpoints(random);
            case BAD_INPUT -> throw new AssertionError("handled above");
          };
      actions.record(
          done
              + (detail.contains("skipped") || detail.contains("nothing to")
                  ? ": skipped"
                  : ": done"),
          now);
    } catch (IOException | RuntimeException e) {
      detail =
          "failed: "
              + (e instanceof StatusRuntimeException refused
                  ? Tally.cause(refused.getStatus())
                  : e);
      actions.record(done + ": failed", now);
    }
    synchronized (events) {
      events.add(new Event(now, done, detail));
    }
  }

  Tally actions() {
    return actions;
  }

  Tally badInputsByStatus() {
    return badInputsByStatus;
  }

  Tally badInputsUnexpected() {
    return badInputsUnexpected;
  }

  List<Event> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }
}
