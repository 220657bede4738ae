package dev.swinserve.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServerThreadsTest {

  private final ServerThreads threads = new ServerThreads();
  private final CountDownLatch gate = new CountDownLatch(1);

  @AfterEach
  void close() {
    gate.countDown();
    threads.close();
  }

  @Test
  void threadsAreDaemonsNamedForTheirPool() throws Exception {
    Thread worker =
        threads.workers("decode", 1).submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
    Thread timer =
        threads
            .timer("ticks")
            .schedule(Thread::currentThread, 0, TimeUnit.MILLISECONDS)
            .get(10, TimeUnit.SECONDS);

    assertThat(worker.getName()).isEqualTo("swinserve-decode-1");
    assertThat(worker.isDaemon()).isTrue();
    assertThat(timer.getName()).isEqualTo("swinserve-ticks-1");
    assertThat(timer.isDaemon()).isTrue();
  }

  @Test
  void aFullWorkerQueueRejects() {
    ExecutorService pool = threads.workers("bounded", 1, 1);
    pool.execute(this::awaitGate);
    pool.execute(() -> {});

    assertThatThrownBy(() -> pool.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void closingLetsWorkersFinishTheirQueueAndDropsTimersNotYetDue() throws Exception {
    ExecutorService pool = threads.workers("work", 1);
    pool.execute(this::awaitGate);
    Future<String> queued = pool.submit(() -> "ran");
    ScheduledExecutorService timer = threads.timer("later");
    Future<?> due = timer.schedule(() -> {}, 1, TimeUnit.HOURS);

    threads.close();

    assertThat(pool.isShutdown()).isTrue();
    assertThat(timer.isShutdown()).isTrue();
    assertThat(timer.awaitTermination(10, TimeUnit.SECONDS)).as("timer terminated").isTrue();
    assertThat(due).isNotDone();
    gate.countDown();
    assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo("ran");
    assertThatThrownBy(() -> threads.workers("late", 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("late");
  }

  private void awaitGate() {
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
