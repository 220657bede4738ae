package dev.swinserve.server.config;

import dev.swinserve.config.Range;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A second gRPC port that serves only {@code grpc.health.v1}, in plaintext whatever {@code tls:}
 * says: Kubernetes' gRPC probes cannot speak TLS. Off unless a port is set. Immutable.
 *
 * @param port the port; 0 picks any free port, -1 turns it off
 * @param host the address it listens on; empty: the server's {@code host}
 * @param portFile where to write the bound port once the server is ready
 */
public record HealthPortConfig(int port, Optional<String> host, Optional<Path> portFile) {

  public static final int OFF = -1;
  public static final Range PORT = new Range("health_port.port", OFF, 65_535);

  public HealthPortConfig {
    PORT.check(port);
  }

  public static HealthPortConfig off() {
    return new HealthPortConfig(OFF, Optional.empty(), Optional.empty());
  }

  public boolean enabled() {
    return port != OFF;
  }
}
