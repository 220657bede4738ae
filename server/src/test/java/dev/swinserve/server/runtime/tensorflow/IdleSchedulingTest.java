package dev.swinserve.server.runtime.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class IdleSchedulingTest {

  @Test
  void aThreadEntersIdlePolicyAndTheThreadsItStartsInheritIt() throws Exception {
    int[] policies = new int[3];
    Thread thread =
        new Thread(
            () -> {
              try {
                policies[0] = IdleScheduling.policyOf(thisThread());
                assertThat(IdleScheduling.enter()).as("why not").isNull();
                policies[1] = IdleScheduling.policyOf(thisThread());
                policies[2] =
                    CompletableFuture.supplyAsync(
                            () -> {
                              try {
                                return IdleScheduling.policyOf(thisThread());
                              } catch (Exception e) {
                                throw new IllegalStateException(e);
                              }
                            },
                            runnable -> new Thread(runnable).start())
                        .join();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    thread.start();
    thread.join();

    assertThat(policies).containsExactly(0, IdleScheduling.SCHED_IDLE, IdleScheduling.SCHED_IDLE);
    assertThat(IdleScheduling.policyOf(thisThread())).as("the test's own thread").isZero();
  }

  /** The calling thread's {@code /proc} entry. */
  private static Path thisThread() {
    return Path.of("/proc/thread-self");
  }
}
