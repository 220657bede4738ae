package dev.swinserve.converter.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Downloads a SwinV2 checkpoint from a Hugging Face hub into the local cache: {@code config.json},
 * {@code preprocessor_config.json} and the weights, taken from the first of {@code
 * model.safetensors} at the revision, {@code model.safetensors} at {@code refs/pr/1} (where the
 * hub's conversion bot offers safetensors for older repositories) and {@code pytorch_model.bin} at
 * the revision.
 *
 * <p>Each file costs one HEAD request; the GET is skipped when the cache already holds that content
 * (same etag). When the hub cannot be reached, the copy cached for the revision is used with a
 * warning to the listener; without one the download fails with {@link
 * HubException.Kind#UNREACHABLE}.
 *
 * <p>Thread-safe, except that two concurrent downloads of the same repository into the same cache
 * folder (from threads or processes) are not supported.
 */
public final class HubDownloader {

  /** The revision used when none is given. */
  public static final String DEFAULT_REVISION = "main";

  /** Where the hub's safetensors conversion bot opens its pull request. */
  static final String CONVERSION_REVISION = "refs/pr/1";

  static final String CONFIG = "config.json";
  static final String PREPROCESSOR_CONFIG = "preprocessor_config.json";
  static final String SAFETENSORS_WEIGHTS = "model.safetensors";
  static final String PYTORCH_WEIGHTS = "pytorch_model.bin";

  private final HubConfig config;
  private final DownloadListener listener;
  private final HubClient client;
  private final HubCache cache;
  private final ResumableDownload transfer;

  /** Uses {@code config} and reports to {@code listener} (e.g. a {@link ConsoleProgress}). */
  public HubDownloader(HubConfig config, DownloadListener listener) {
    this(config, listener, Sleeper.SYSTEM);
  }

  /**
   * As {@link #HubDownloader(HubConfig, DownloadListener)}, waiting between retries with {@code
   * sleeper}.
   */
  public HubDownloader(HubConfig config, DownloadListener listener, Sleeper sleeper) {
    this.config = Objects.requireNonNull(config, "config");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.client = new HubClient(config);
    this.cache = new HubCache(config.cacheDirectory());
    this.transfer =
        new ResumableDownload(client, config, Objects.requireNonNull(sleeper), listener);
  }

  /** Downloads {@code repository} at {@link #DEFAULT_REVISION}. */
  public HubCheckpoint download(String repository) throws InterruptedException {
    return download(repository, DEFAULT_REVISION);
  }

  /**
   * Downloads {@code repository} (e.g. {@code microsoft/swinv2-tiny-patch4-window8-256}) at {@code
   * revision} (a branch, tag, {@code refs/pr/N} or commit hash) and returns the checkpoint folder;
   * throws {@link HubException} with a message for the user when that is impossible.
   */
  public HubCheckpoint download(String repository, String revision) throws InterruptedException {
    HubUrls.checkRepository(repository);
    HubUrls.checkRevision(revision);
    List<List<RemoteFile>> slots = slots(repository, revision);
    List<HubCheckpoint.FileSource> sources = new ArrayList<>();
    try {
      for (List<RemoteFile> candidates : slots) {
        sources.add(fetchFirstPresent(candidates, revision));
      }
      return assemble(repository, revision, sources, false);
    } catch (HubException e) {
      if (e.kind() != HubException.Kind.UNREACHABLE) {
        throw e;
      }
      List<HubCheckpoint.FileSource> cached =
          fromCache(slots)
              .orElseThrow(
                  () ->
                      new HubException(
                          e.kind(),
                          e.getMessage()
                              + ", and no complete copy of '"
                              + repository
                              + "' at revision '"
                              + revision
                              + "' is cached in "
                              + cache.root(),
                          e));
      listener.warning(
          e.getMessage()
              + "; using the copy of '"
              + repository
              + "' at revision '"
              + revision
              + "' cached in "
              + cache.root()
              + ", which may be out of date");
      return assemble(repository, revision, cached, true);
    }
  }

  private static List<List<RemoteFile>> slots(String repository, String revision) {
    List<RemoteFile> weights = new ArrayList<>();
    weights.add(new RemoteFile(repository, revision, SAFETENSORS_WEIGHTS));
    if (!revision.equals(CONVERSION_REVISION) && !HubCache.isCommit(revision)) {
      weights.add(new RemoteFile(repository, CONVERSION_REVISION, SAFETENSORS_WEIGHTS));
    }
    weights.add(new RemoteFile(repository, revision, PYTORCH_WEIGHTS));
    return List.of(
        List.of(new RemoteFile(repository, revision, CONFIG)),
        List.of(new RemoteFile(repository, revision, PREPROCESSOR_CONFIG)),
        List.copyOf(weights));
  }

  /** The first candidate the hub has; "not there" moves on, any other failure is reported. */
  private HubCheckpoint.FileSource fetchFirstPresent(
      List<RemoteFile> candidates, String requestedRevision) throws InterruptedException {
    List<String> missing = new ArrayList<>();
    HubException lastMissing = null;
    for (RemoteFile candidate : candidates) {
      Optional<HubCheckpoint.FileSource> pinned = pinnedInCache(candidate);
      if (pinned.isPresent()) {
        return pinned.get();
      }
      try {
        return fetch(candidate, client.metadata(candidate));
      } catch (HubException e) {
        boolean absent =
            e.kind() == HubException.Kind.ENTRY_NOT_FOUND
                || (e.kind() == HubException.Kind.REVISION_NOT_FOUND
                    && !candidate.revision().equals(requestedRevision));
        if (!absent) {
          throw e;
        }
        missing.add(candidate.name() + " at '" + candidate.revision() + "'");
        lastMissing = e;
      }
    }
    if (candidates.size() == 1) {
      throw lastMissing;
    }
    throw new HubException(
        HubException.Kind.ENTRY_NOT_FOUND,
        "no weights found in '"
            + candidates.get(0).repository()
            + "': tried "
            + String.join(", ", missing),
        lastMissing);
  }

  /** A commit never changes, so a file cached for one needs no request at all. */
  private Optional<HubCheckpoint.FileSource> pinnedInCache(RemoteFile file) {
    if (!HubCache.isCommit(file.revision())) {
      return Optional.empty();
    }
    return cache
        .snapshotFile(file.repository(), file.revision(), file.name())
        .map(
            path ->
                new HubCheckpoint.FileSource(file.name(), file.revision(), file.revision(), true));
  }

  private HubCheckpoint.FileSource fetch(RemoteFile file, HubFileMetadata metadata)
      throws InterruptedException {
    cache.recordRevision(file.repository(), file.revision(), metadata.commit());
    Path blob = cache.blob(file.repository(), metadata.etag());
    boolean cached = isComplete(blob, metadata);
    if (!cached) {
      transfer.download(file, metadata, blob);
    }
    cache.addToSnapshot(file.repository(), metadata.commit(), file.name(), blob);
    return new HubCheckpoint.FileSource(file.name(), file.revision(), metadata.commit(), cached);
  }

  /** Blobs only appear once verified; the size check catches one damaged afterwards. */
  private static boolean isComplete(Path blob, HubFileMetadata metadata) {
    try {
      return Files.isRegularFile(blob)
          && (metadata.size().isEmpty() || Files.size(blob) == metadata.size().getAsLong());
    } catch (IOException e) {
      return false;
    }
  }

  private Optional<List<HubCheckpoint.FileSource>> fromCache(List<List<RemoteFile>> slots) {
    List<HubCheckpoint.FileSource> sources = new ArrayList<>();
    for (List<RemoteFile> candidates : slots) {
      Optional<HubCheckpoint.FileSource> found =
          candidates.stream()
              .filter(
                  file ->
                      cache
                          .snapshotFile(file.repository(), file.revision(), file.name())
                          .isPresent())
              .findFirst()
              .map(
                  file ->
                      new HubCheckpoint.FileSource(
                          file.name(),
                          file.revision(),
                          cache.commitOf(file.repository(), file.revision()).orElseThrow(),
                          true));
      if (found.isEmpty()) {
        return Optional.empty();
      }
      sources.add(found.get());
    }
    return Optional.of(sources);
  }

  private HubCheckpoint assemble(
      String repository, String revision, List<HubCheckpoint.FileSource> sources, boolean offline) {
    Path folder = cache.checkpointFolder(repository, revision);
    for (HubCheckpoint.FileSource source : sources) {
      cache.place(
          cache.snapshotPath(repository, source.commit(), source.name()),
          folder.resolve(source.name()));
    }
    // A previous download may have left the other kind of weights, which the converter might
    // prefer.
    for (String weights : List.of(SAFETENSORS_WEIGHTS, PYTORCH_WEIGHTS)) {
      if (sources.stream().noneMatch(source -> source.name().equals(weights))) {
        HubCache.deleteIfExists(folder.resolve(weights));
      }
    }
    return new HubCheckpoint(repository, revision, folder, sources, offline);
  }
}
