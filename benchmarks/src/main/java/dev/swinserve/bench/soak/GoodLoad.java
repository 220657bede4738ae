package dev.swinserve.bench.soak;

import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.api.v1.Image;
import dev.swinserve.client.SwinserveClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * The calls that must all succeed: closed-loop unary callers and stream callers, through a {@link
 * SwinserveClient} with its default retries, breakers and deadline, as a user's service would call.
 * Unary callers take turns over alpha, the endpoint and beta; streams alternate between the
 * endpoint and alpha, each stream {@value #STREAM_LENGTH} requests long, then a new one. Every call
 * that fails is counted under its cause and its target.
 */
final class GoodLoad {

  static final int STREAM_LENGTH = 200;
  private static final List<String> UNARY_TARGETS =
      List.of(SoakRepository.ALPHA, SoakRepository.ENDPOINT, SoakRepository.BETA);
  private static final List<String> STREAM_TARGETS =
      List.of(SoakRepository.ENDPOINT, SoakRepository.ALPHA);

  /** Every this many unary calls one sends an encoded photo instead of a pixel tensor. */
  private static final int ENCODED_EVERY = 5;

  private static final Duration STREAM_DEADLINE = Duration.ofMinutes(5);
  private static final long PAUSE_AFTER_FAILURE_MILLIS = 100;

  private final SwinserveClient client;
  private final byte[] photo;
  private final DoubleSupplier elapsedSeconds;
  private final Tally failuresByCause = new Tally();
  private final Tally failuresByTarget = new Tally();
  private final Set<Long> secondsWithFailures = new ConcurrentSkipListSet<>();
  private final AtomicLong unaryOk = new AtomicLong();
  private final AtomicLong streamOk = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  GoodLoad(SwinserveClient client, byte[] photo, DoubleSupplier elapsedSeconds) {
    this.client = client;
    this.photo = photo;
    this.elapsedSeconds = elapsedSeconds;
  }

  /** Starts {@code unaryCallers} unary callers and {@code streams} stream callers. */
  void start(int unaryCallers, int streams, int streamInFlight) {
    for (int caller = 0; caller < unaryCallers; caller++) {
      int number = caller;
      threads.add(started(new Thread(() -> callUnary(number), "soak-unary-" + caller)));
    }
    for (int lane = 0; lane < streams; lane++) {
      int number = lane;
      threads.add(
          started(new Thread(() -> callStreams(number, streamInFlight), "soak-stream-" + lane)));
    }
  }

  private static Thread started(Thread thread) {
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Lets every caller finish the call or stream it is in, and waits for them. */
  void stop() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join();
    }
  }

  long unaryOk() {
    return unaryOk.get();
  }

  long streamOk() {
    return streamOk.get();
  }

  /**
   * How many distinct seconds of the run saw a good call fail: how long the outages lasted
   * together, however many calls each second failed (a fast-failing stream fails hundreds).
   */
  long secondsWithFailures() {
    return secondsWithFailures.size();
  }

  Tally failuresByCause() {
    return failuresByCause;
  }

  Tally failuresByTarget() {
    return failuresByTarget;
  }

  private void callUnary(int caller) {
    Image pixels = Requests.image(Requests.pixels(caller));
    Image encoded = Requests.image(photo);
    for (long call = caller; running; call++) {
      String target = UNARY_TARGETS.get((int) (call % UNARY_TARGETS.size()));
      try {
        client.classify(Requests.classify(target, call % ENCODED_EVERY == 0 ? encoded : pixels));
        unaryOk.incrementAndGet();
      } catch (StatusRuntimeException e) {
        failed(e.getStatus(), "unary " + target);
        pause();
      } catch (RuntimeException e) {
        failed(Status.UNKNOWN.withDescription("the client threw " + e), "unary " + target);
        pause();
      }
    }
  }

  private void callStreams(int lane, int inFlight) {
    String target = STREAM_TARGETS.get(lane % STREAM_TARGETS.size());
    Image pixels = Requests.image(Requests.pixels(100 + lane));
    for (long stream = 0; running; stream++) {
      String prefix = "lane-" + lane + "-stream-" + stream + "-";
      AtomicLong sent = new AtomicLong();
      AtomicLong answered = new AtomicLong();
      Iterator<ClassifyRequest> requests =
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              return running && sent.get() < STREAM_LENGTH;
            }

            @Override
            public ClassifyRequest next() {
              return Requests.classify(target, pixels).toBuilder()
                  .setRequestId(prefix + sent.getAndIncrement())
                  .build();
            }
          };
      try {
        client.classifyStream(
            requests, inFlight, response -> answer(response, target, answered), STREAM_DEADLINE);
      } catch (StatusRuntimeException e) {
        for (long unanswered = sent.get() - answered.get(); unanswered > 0; unanswered--) {
          failed(e.getStatus(), "stream " + target);
        }
        pause();
      } catch (RuntimeException e) {
        failed(Status.UNKNOWN.withDescription("the client threw " + e), "stream " + target);
        pause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void answer(ClassifyResponse response, String target, AtomicLong answered) {
    answered.incrementAndGet();
    if (response.hasError()) {
      failed(
          Status.fromCodeValue(response.getError().getCode())
              .withDescription(response.getError().getMessage()),
          "stream " + target);
    } else {
      streamOk.incrementAndGet();
    }
  }

  private void failed(Status status, String target) {
    double now = elapsedSeconds.getAsDouble();
    secondsWithFailures.add((long) now);
    failuresByCause.record(Tally.cause(status), now);
    failuresByTarget.record(target + ": " + status.getCode(), now);
  }

  private static void pause() {
    try {
      Thread.sleep(PAUSE_AFTER_FAILURE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
