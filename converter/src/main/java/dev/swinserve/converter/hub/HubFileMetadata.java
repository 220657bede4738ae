package dev.swinserve.converter.hub;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * What the hub's HEAD answer says about one file, read as huggingface_hub's {@code
 * get_hf_file_metadata} does: large (LFS) files are answered with a redirect whose {@code
 * X-Linked-Etag} / {@code X-Linked-Size} describe the real content, small files directly with
 * {@code ETag} / {@code Content-Length}.
 *
 * @param commit the commit the revision resolved to ({@code X-Repo-Commit})
 * @param etag the content's entity tag without quotes or {@code W/}: a git blob sha1, or for LFS
 *     files their sha256
 * @param size the content's size in bytes, when announced
 * @param location where to GET the content: the CDN for LFS files, else the resolve address itself
 */
record HubFileMetadata(String commit, String etag, OptionalLong size, URI location) {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /**
   * Parses the headers of a HEAD answer for {@code requested}; fails if the hub markers are
   * missing.
   */
  static HubFileMetadata fromHeaders(URI requested, HttpHeaders headers, String file) {
    Optional<String> commit = headers.firstValue("X-Repo-Commit");
    Optional<String> etag =
        headers
            .firstValue("X-Linked-Etag")
            .or(() -> headers.firstValue("ETag"))
            .map(HubFileMetadata::normalizeEtag)
            .filter(value -> !value.isEmpty());
    if (commit.isEmpty() || etag.isEmpty()) {
      // huggingface_hub refuses these too: typically a proxy or a wrong HF_ENDPOINT answered.
      throw new HubException(
          HubException.Kind.OTHER,
          requested
              + " answered without the "
              + (commit.isEmpty() ? "X-Repo-Commit" : "ETag")
              + " header a Hugging Face hub sends for "
              + file
              + "; is the endpoint a Hugging Face hub?");
    }
    OptionalLong size =
        parseSize(
            headers.firstValue("X-Linked-Size").or(() -> headers.firstValue("Content-Length")));
    URI location = headers.firstValue("Location").map(requested::resolve).orElse(requested);
    return new HubFileMetadata(commit.get(), etag.get(), size, location);
  }

  /**
   * The sha256 to check the content against: the etag, when it has a sha256's shape (LFS files).
   */
  Optional<String> sha256() {
    return SHA256.matcher(etag).matches() ? Optional.of(etag) : Optional.empty();
  }

  private static String normalizeEtag(String etag) {
    String value = etag.trim();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    return value.replace("\"", "").toLowerCase(Locale.ROOT);
  }

  private static OptionalLong parseSize(Optional<String> header) {
    try {
      return header
          .map(value -> OptionalLong.of(Long.parseLong(value.trim())))
          .orElse(OptionalLong.empty());
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
