package dev.swinserve.registry;

import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The names the repository allows: {@code <root>/<model>/<version>/} plus an optional {@code
 * <root>/<model>/model.yaml}, and label names (at most 64 characters). Entries whose names start
 * with '.' are never models or versions: the converter stages its output in {@code .staging-*}
 * folders and renames them into place when complete.
 */
final class RepositoryLayout {

  static final String CONFIG_FILE = "model.yaml";

  /** Longest label name; labels appear in error messages and metric labels. */
  static final int MAX_LABEL_LENGTH = 64;

  static final String LABEL_RULE =
      "[a-z0-9][a-z0-9_-]*, at most " + MAX_LABEL_LENGTH + " characters";

  // Names end up in paths, URLs and metric labels, so they are kept to a portable character set.
  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
  // No leading zeros: "01" and "1" would otherwise both be version 1.
  private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");
  private static final Pattern LABEL =
      Pattern.compile("[a-z0-9][a-z0-9_-]{0," + (MAX_LABEL_LENGTH - 1) + "}");

  private RepositoryLayout() {}

  static boolean isHidden(String fileName) {
    return fileName.startsWith(".");
  }

  static boolean isValidModelName(String name) {
    return MODEL_NAME.matcher(name).matches() && !name.contains("..");
  }

  /** The version a directory name stands for, or empty if it is not a version directory. */
  static OptionalLong parseVersion(String directoryName) {
    return VERSION.matcher(directoryName).matches()
        ? OptionalLong.of(Long.parseLong(directoryName))
        : OptionalLong.empty();
  }

  static boolean isValidLabel(String label) {
    return label != null && LABEL.matcher(label).matches();
  }
}
