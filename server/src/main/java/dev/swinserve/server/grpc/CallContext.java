package dev.swinserve.server.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What a front door's request mapping takes from the gRPC call in progress: its deadline, and its
 * cancellation, which stops the work spent on the call when the client goes away. Made by {@link
 * CallPipeline}, so that every front door reads them alike.
 *
 * @param deadlineNanoTime the {@link System#nanoTime()} the call must be answered by; empty without
 *     a deadline
 * @param cancelled true once the call is cancelled; cheap and thread-safe
 */
public record CallContext(OptionalLong deadlineNanoTime, BooleanSupplier cancelled) {

  /** The deadline and cancellation of {@code context}, read now. */
  public static CallContext of(Context context) {
    Deadline deadline = context.getDeadline();
    OptionalLong deadlineNanoTime =
        deadline == null
            ? OptionalLong.empty()
            : OptionalLong.of(System.nanoTime() + deadline.timeRemaining(TimeUnit.NANOSECONDS));
    return new CallContext(deadlineNanoTime, context::isCancelled);
  }
}
