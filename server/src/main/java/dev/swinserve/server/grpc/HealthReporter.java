package dev.swinserve.server.grpc;

import dev.swinserve.registry.RegistryListener;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Keeps the standard {@code grpc.health.v1} service true: the server as {@code ""}, and each model
 * under its name, SERVING exactly while a request naming the model and no version would be served
 * (some version is AVAILABLE: warmed up; a {@code stable} label whose version is gone or FAILED
 * does not stop the model serving, since such requests then go to the newest AVAILABLE version; see
 * {@code ModelStatus#serving()}).
 */
@Singleton
public final class HealthReporter implements RegistryListener {

  private static final System.Logger LOG = System.getLogger(HealthReporter.class.getName());

  /** A change is made again at most this often while watchers that hung up interrupt it. */
  private static final int MAX_ATTEMPTS = 10;

  private final HealthStatusManager health;

  @Inject
  public HealthReporter(HealthStatusManager health) {
    this.health = health;
    change(
        () ->
            health.setStatus(
                HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING));
  }

  @Override
  public void servingChanged(String model, boolean serving) {
    change(
        () -> health.setStatus(model, serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING));
  }

  public void serverStarted() {
    change(
        () ->
            health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING));
  }

  /** Everything NOT_SERVING from now on; load balancers stop sending traffic. */
  public void shuttingDown() {
    change(health::enterTerminalState);
  }

  /**
   * Makes a status change whatever the watchers do. grpc-java's health service tells each {@code
   * Watch} call of the change as it makes it, and a call its client cancelled at that moment throws
   * CANCELLED out of the change (seen when clients hang up as the server shuts down): the status is
   * recorded by then, so the change is made again for what the throw cut short (for {@code
   * enterTerminalState}, the services after it), and the throw goes no further than here.
   */
  private static void change(Runnable change) {
    for (int attempt = 1; ; attempt++) {
      try {
        change.run();
        return;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.CANCELLED || attempt == MAX_ATTEMPTS) {
          LOG.log(
              System.Logger.Level.WARNING,
              "a health watcher failed while being told of a status change: " + e.getStatus());
          return;
        }
      }
    }
  }
}
