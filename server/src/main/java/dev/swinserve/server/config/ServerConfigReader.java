package dev.swinserve.server.config;

import dev.swinserve.config.ConfigTree;
import java.nio.file.Path;

/**
 * Reads a server YAML file into a {@link ServerConfig} with the one {@link
 * dev.swinserve.config.ConfigBinder}: every key is optional and falls back to its default in {@link
 * ServerConfig.Builder}; an unknown or duplicate key, a value of the wrong type or a number outside
 * its key's range ({@link ServerConfig}'s ranges, {@link RuntimeSection}'s) is a {@link
 * dev.swinserve.config.ConfigException} naming the file, the key and the line, so a typo never
 * passes silently. Relative paths are relative to the file's folder.
 */
public final class ServerConfigReader {

  private ServerConfigReader() {}

  /**
   * @throws dev.swinserve.config.ConfigException (an IllegalArgumentException) naming file, key and
   *     line
   */
  public static ServerConfig read(Path file) {
    return parse(ConfigTree.read(file), file.toAbsolutePath().getParent());
  }

  /**
   * @param base relative paths in the tree are resolved against this folder
   */
  public static ServerConfig parse(ConfigTree tree, Path base) {
    return tree.bind(new ServerConfig.Builder(base), ServerConfig.Builder::build);
  }
}
