package dev.swinserve.server.grpc;

import dev.swinserve.registry.RegistryListener;
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

  private final HealthStatusManager health;

  @Inject
  public HealthReporter(HealthStatusManager health) {
    this.health = health;
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
  }

  @Override
  public void servingChanged(String model, boolean serving) {
    health.setStatus(model, serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
  }

  public void serverStarted() {
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
  }

  /** Everything NOT_SERVING from now on; load balancers stop sending traffic. */
  public void shuttingDown() {
    health.enterTerminalState();
  }
}
