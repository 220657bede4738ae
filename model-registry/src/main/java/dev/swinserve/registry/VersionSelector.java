package dev.swinserve.registry;

import java.util.Objects;

/** Which version of a model a caller wants: the default one, a version number, or a label. */
public sealed interface VersionSelector {

  /**
   * The version labelled {@code stable} if that version is AVAILABLE, else the newest AVAILABLE
   * version (so a {@code stable} label whose version is gone or FAILED does not take the model
   * down; see {@link ModelStatus#danglingLabels()}).
   */
  static VersionSelector defaultVersion() {
    return Default.INSTANCE;
  }

  static VersionSelector version(long version) {
    return new Version(version);
  }

  static VersionSelector label(String label) {
    return new Label(label);
  }

  /** See {@link VersionSelector#defaultVersion()}. */
  record Default() implements VersionSelector {
    private static final Default INSTANCE = new Default();

    @Override
    public String toString() {
      return "default version";
    }
  }

  /** Exactly this version number. */
  record Version(long version) implements VersionSelector {
    @Override
    public String toString() {
      return "version " + version;
    }
  }

  /** The version a label points at. */
  record Label(String label) implements VersionSelector {
    public Label {
      Objects.requireNonNull(label, "label");
    }

    @Override
    public String toString() {
      return "label '" + label + "'";
    }
  }
}
