package dev.swinserve.converter.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Downloads one file into the cache: into {@code <blob>.incomplete}, resumed with a {@code Range}
 * request after a dropped connection or a server error (up to {@link HubConfig#maxAttempts()}
 * attempts with doubling waits), then checked against the announced size and sha256 and renamed
 * onto the blob. A partial file left by an earlier run is resumed too. A failed check deletes the
 * partial file, since resuming it could never succeed.
 *
 * <p>Thread-safe as long as no two calls download the same blob.
 */
final class ResumableDownload {

  /** Waits between attempts double from {@link HubConfig#initialBackoff()} up to this. */
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final HubClient client;
  private final HubConfig config;
  private final Sleeper sleeper;
  private final DownloadListener listener;

  ResumableDownload(
      HubClient client, HubConfig config, Sleeper sleeper, DownloadListener listener) {
    this.client = client;
    this.config = config;
    this.sleeper = sleeper;
    this.listener = listener;
  }

  /**
   * Fetches {@code file} as {@code metadata} describes it and moves the verified content to {@code
   * blob}.
   */
  void download(RemoteFile file, HubFileMetadata metadata, Path blob) throws InterruptedException {
    long expectedSize = metadata.size().orElse(-1);
    PartialFile partial =
        PartialFile.open(blob.resolveSibling(blob.getFileName() + ".incomplete"), expectedSize);
    listener.started(file.name(), expectedSize, partial.size());
    String lastFailure = "";
    boolean complete = false;
    for (int attempt = 1; attempt <= config.maxAttempts() && !complete; attempt++) {
      if (attempt > 1) {
        listener.warning(
            file.name()
                + ": "
                + lastFailure
                + "; resuming at "
                + partial.size()
                + " bytes (attempt "
                + attempt
                + " of "
                + config.maxAttempts()
                + ")");
        sleeper.sleep(backoff(attempt));
      }
      if (expectedSize >= 0 && partial.size() == expectedSize) {
        complete = true; // left complete but unverified by an earlier run
        break;
      }
      try {
        lastFailure = transfer(file, metadata, partial);
        complete = lastFailure.isEmpty();
      } catch (IOException e) {
        lastFailure = "connection failed after " + partial.size() + " bytes (" + e + ")";
      }
    }
    if (!complete) {
      throw new HubException(
          HubException.Kind.TRANSFER_FAILED,
          "download of "
              + file
              + " from "
              + metadata.location()
              + " failed after "
              + config.maxAttempts()
              + " attempts, last: "
              + lastFailure
              + "; the "
              + partial.size()
              + " bytes received are kept in "
              + partial.path()
              + " and the next download resumes from there");
    }
    verify(file, metadata, partial);
    try {
      HubCache.moveIntoPlace(partial.path(), blob);
    } catch (IOException e) {
      throw new HubException(
          HubException.Kind.OTHER, "cannot move " + partial.path() + " to " + blob + ": " + e, e);
    }
    listener.finished(file.name(), partial.size());
  }

  /** One GET; returns "" when the body arrived in full, else why it should be retried. */
  private String transfer(RemoteFile file, HubFileMetadata metadata, PartialFile partial)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> response = client.open(metadata.location(), partial.size());
    try (InputStream body = response.body()) {
      int status = response.statusCode();
      if (status == 200 || status == 206) {
        if (status == 200 || !startsAt(response, partial.size())) {
          // The server ignored our range (or answered another one): start over.
          partial.restart();
        }
        long expectedSize = metadata.size().orElse(-1);
        partial.append(body, expectedSize, size -> listener.transferred(file.name(), size));
        return expectedSize < 0 || partial.size() >= expectedSize
            ? ""
            : "the answer ended early at " + partial.size() + " bytes";
      }
      if (status == 416) {
        partial.restart();
        return "HTTP 416 for a resumed range; restarting from 0";
      }
      if (status >= 500 || status == 429 || status == 408) {
        return "HTTP " + status;
      }
      throw client.error(status, response.headers(), file);
    }
  }

  private void verify(RemoteFile file, HubFileMetadata metadata, PartialFile partial) {
    long expectedSize = metadata.size().orElse(-1);
    if (expectedSize >= 0 && partial.size() != expectedSize) {
      partial.delete();
      throw new HubException(
          HubException.Kind.INTEGRITY,
          file
              + ": size mismatch: expected "
              + expectedSize
              + " bytes, got "
              + partial.size()
              + "; the partial download was deleted");
    }
    Optional<String> expectedSha256 = metadata.sha256();
    if (expectedSha256.isPresent()) {
      String actual = partial.sha256();
      if (!actual.equals(expectedSha256.get())) {
        partial.delete();
        throw new HubException(
            HubException.Kind.INTEGRITY,
            file
                + ": sha256 mismatch: expected "
                + expectedSha256.get()
                + ", got "
                + actual
                + "; the download was deleted");
      }
    }
  }

  private static boolean startsAt(HttpResponse<?> response, long offset) {
    // Content-Range: bytes START-END/TOTAL; without it we trust the server honored our range.
    return response
        .headers()
        .firstValue("Content-Range")
        .map(range -> range.trim().startsWith("bytes " + offset + "-"))
        .orElse(true);
  }

  private Duration backoff(int attempt) {
    Duration wait = config.initialBackoff();
    for (int step = 2; step < attempt && wait.compareTo(MAX_BACKOFF) < 0; step++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
  }
}
