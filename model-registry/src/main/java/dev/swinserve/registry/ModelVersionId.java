package dev.swinserve.registry;

/** One version of one model: {@code <repository>/<name>/<version>/}. */
public record ModelVersionId(String name, long version) {

  @Override
  public String toString() {
    return name + "@" + version;
  }
}
