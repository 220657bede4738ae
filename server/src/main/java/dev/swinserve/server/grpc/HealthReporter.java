package dev.swinserve.server.grpc;

import dev.swinserve.registry.RegistryListener;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Keeps the standard {@code grpc.health.v1} service true: the server as {@code ""}, and each
 * model under its name, SERVING only while it has an available, warmed version.
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
