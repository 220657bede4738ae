package dev.swinserve.server.runtime.tensorflow;

import dev.swinserve.server.lifecycle.DaemonThreads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import org.tensorflow.SavedModelBundle;

/**
 * The one thread of the process under {@code SCHED_IDLE} ({@link IdleScheduling}) that creates the
 * sessions background runs use. A session starts its thread pools on the thread that creates it,
 * and they inherit that thread's policy and name; so a background session computes only on cores
 * that client calls leave idle, and its threads are listed under {@link #NAME} (the thread is
 * {@code NAME-1}; the kernel keeps only the first 15 bytes of a name). That holds for the intra-op
 * pool only where {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1} gives each session one of its own (the
 * launcher sets it); otherwise all sessions share the pool of the first, and a warning says so.
 *
 * <p>Thread-safe.
 */
final class BackgroundThread {

  static final String NAME = DaemonThreads.PREFIX + "idle-sessions";
  private static final System.Logger LOG = System.getLogger(BackgroundThread.class.getName());

  private static final ThreadFactory FACTORY = DaemonThreads.named("idle-sessions");

  /** Process-wide, like the scheduling policy it keeps: never shut down, a daemon. */
  private static final ExecutorService THREAD =
      Executors.newSingleThreadExecutor(
          task ->
              FACTORY.newThread(
                  () -> {
                    warnIfNormalPriority();
                    task.run();
                  }));

  private BackgroundThread() {}

  /**
   * Creates a session on the background thread and waits for it. If the caller is interrupted
   * meanwhile, the session is closed once created.
   */
  static SavedModelBundle create(Supplier<SavedModelBundle> session) {
    CompletableFuture<SavedModelBundle> created = CompletableFuture.supplyAsync(session, THREAD);
    try {
      return created.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      created.thenAccept(SavedModelBundle::close);
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while the background thread created a session", e);
    }
  }

  private static void warnIfNormalPriority() {
    String failure = IdleScheduling.enter();
    if (failure != null) {
      LOG.log(
          System.Logger.Level.WARNING,
          "background sessions run at normal priority, so shadow copies can"
              + " slow client calls: "
              + failure);
    }
    if (!"1".equals(System.getenv("TF_OVERRIDE_GLOBAL_THREADPOOL"))) {
      LOG.log(
          System.Logger.Level.WARNING,
          "TF_OVERRIDE_GLOBAL_THREADPOOL is not 1, so background sessions"
              + " compute on the intra-op threads of client calls and shadow copies can slow them; the launcher"
              + " sets it");
    }
  }
}
