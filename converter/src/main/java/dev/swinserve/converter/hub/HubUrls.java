package dev.swinserve.converter.hub;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The hub's address layout, {@code {endpoint}/{repository}/resolve/{revision}/{file}}, with the
 * same escaping as huggingface_hub's {@code hf_hub_url}: the revision is one path segment, so its
 * slashes are escaped ({@code refs/pr/1} becomes {@code refs%2Fpr%2F1}); the file keeps its
 * slashes.
 */
final class HubUrls {

  /**
   * {@code name} or {@code owner/name}, as the hub allows; also keeps cache paths inside the cache.
   */
  private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)?");

  private HubUrls() {}

  static URI resolve(URI endpoint, String repository, String revision, String file) {
    return URI.create(
        endpoint
            + "/"
            + repository
            + "/resolve/"
            + encode(revision, false)
            + "/"
            + encode(file, true));
  }

  /**
   * Fails unless {@code repository} is {@code name} or {@code owner/name} without dot-only parts.
   */
  static String checkRepository(String repository) {
    if (repository == null
        || !REPOSITORY.matcher(repository).matches()
        || repository.equals("..")
        || repository.startsWith("../")
        || repository.endsWith("/..")
        || repository.equals(".")
        || repository.startsWith("./")
        || repository.endsWith("/.")) {
      throw new IllegalArgumentException(
          "not a hub repository id (expected owner/name): " + repository);
    }
    return repository;
  }

  /** Fails on revisions that are empty or could step outside a folder when used as a path. */
  static String checkRevision(String revision) {
    if (revision == null
        || revision.isBlank()
        || revision.startsWith("/")
        || revision.contains("\\")
        || revision.contains("//")
        || ("/" + revision + "/").contains("/../")
        || ("/" + revision + "/").contains("/./")) {
      throw new IllegalArgumentException("not a usable revision: " + revision);
    }
    return revision;
  }

  /**
   * Percent-encodes everything but RFC 3986 unreserved characters (and {@code /} when {@code
   * keepSlashes}), byte by byte in UTF-8, like Python's {@code urllib.parse.quote}.
   */
  static String encode(String text, boolean keepSlashes) {
    StringBuilder encoded = new StringBuilder();
    for (byte value : text.getBytes(StandardCharsets.UTF_8)) {
      char character = (char) (value & 0xFF);
      if (isUnreserved(character) || (keepSlashes && character == '/')) {
        encoded.append(character);
      } else {
        encoded
            .append('%')
            .append(Character.toUpperCase(Character.forDigit((value >> 4) & 0xF, 16)))
            .append(Character.toUpperCase(Character.forDigit(value & 0xF, 16)));
      }
    }
    return encoded.toString();
  }

  private static boolean isUnreserved(char character) {
    return (character >= 'A' && character <= 'Z')
        || (character >= 'a' && character <= 'z')
        || (character >= '0' && character <= '9')
        || character == '-'
        || character == '.'
        || character == '_'
        || character == '~';
  }
}
