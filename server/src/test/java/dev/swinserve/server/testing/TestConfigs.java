package dev.swinserve.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.swinserve.server.config.ServerConfig;
import java.nio.file.Path;

/** Server configs for tests, written as the YAML a user would write. */
public final class TestConfigs {

  private TestConfigs() {}

  /** Port 0, a short shutdown grace, polling off (tests reload explicitly), plus {@code yaml}. */
  public static ServerConfig withRepository(Path repository, String... yaml) {
    String text = "port: 0\nshutdown_grace_ms: 5000\nregistry: {poll_interval_ms: 0}\n" + String.join("\n", yaml);
    try {
      return dev.swinserve.server.config.ServerConfigReader.parse(
          new ObjectMapper(new YAMLFactory()).readTree(text), Path.of("")).withModelRepository(repository);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
