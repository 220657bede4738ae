package dev.swinserve.server.testing;

import dev.swinserve.config.ConfigTree;
import dev.swinserve.server.config.ServerConfig;
import dev.swinserve.server.config.ServerConfigReader;
import java.nio.file.Path;

/** Server configs for tests, written as the YAML a user would write. */
public final class TestConfigs {

  private TestConfigs() {}

  /** Port 0, a short shutdown grace, polling off (tests reload explicitly), plus {@code yaml}. */
  public static ServerConfig withRepository(Path repository, String... yaml) {
    String text =
        "port: 0\nshutdown_grace_ms: 5000\nregistry: {poll_interval_ms: 0}\n"
            + String.join("\n", yaml);
    return ServerConfigReader.parse(ConfigTree.parse(text, "test server.yaml"), Path.of(""))
        .withModelRepository(repository);
  }
}
