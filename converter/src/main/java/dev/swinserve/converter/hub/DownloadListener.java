package dev.swinserve.converter.hub;

/**
 * Hears how a hub download proceeds, to draw progress or log it. Calls come from the downloading
 * thread, one file at a time: {@link #started}, any number of {@link #transferred}, then {@link
 * #finished} (or nothing more if the file failed). Implementations must be quick; they need not be
 * thread-safe unless shared between concurrent downloads.
 */
public interface DownloadListener {

  /** Hears nothing: for callers that want no output at all. */
  DownloadListener SILENT = new DownloadListener() {};

  /**
   * {@code file} starts transferring.
   *
   * @param totalBytes the file's size, or -1 when unknown
   * @param resumedBytes bytes already on disk from an earlier, interrupted attempt
   */
  default void started(String file, long totalBytes, long resumedBytes) {}

  /** {@code doneBytes} of {@code file} are now on disk (counting resumed bytes). */
  default void transferred(String file, long doneBytes) {}

  /** {@code file} is complete and verified. */
  default void finished(String file, long totalBytes) {}

  /**
   * Something the user should know that does not stop the download, e.g. a retry or a stale cache.
   */
  default void warning(String message) {}
}
