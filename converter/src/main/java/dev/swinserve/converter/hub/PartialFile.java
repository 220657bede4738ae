package dev.swinserve.converter.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * A {@code *.incomplete} file being downloaded, with the sha256 of what it holds kept up to date as
 * bytes are appended, so verifying a resumed file does not read it again. Not thread-safe.
 */
final class PartialFile {

  private static final int BUFFER_BYTES = 64 * 1024;

  private final Path path;
  private final MessageDigest digest;
  private long size;

  private PartialFile(Path path, MessageDigest digest, long size) {
    this.path = path;
    this.digest = digest;
    this.size = size;
  }

  /**
   * Opens {@code path}, keeping what an earlier attempt left there unless it is longer than {@code
   * expectedSize} (-1: unknown), which no resumed download could fix.
   */
  static PartialFile open(Path path, long expectedSize) {
    MessageDigest digest = newDigest();
    try {
      Files.createDirectories(path.getParent());
      long existing = Files.isRegularFile(path) ? Files.size(path) : 0;
      if (expectedSize >= 0 && existing > expectedSize) {
        Files.delete(path);
        existing = 0;
      }
      if (existing > 0) {
        try (InputStream in = Files.newInputStream(path)) {
          byte[] buffer = new byte[BUFFER_BYTES];
          for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            digest.update(buffer, 0, read);
          }
        }
      }
      return new PartialFile(path, digest, existing);
    } catch (IOException e) {
      throw new HubException(HubException.Kind.OTHER, "cannot read " + path + ": " + e, e);
    }
  }

  Path path() {
    return path;
  }

  /** Bytes on disk. */
  long size() {
    return size;
  }

  /**
   * Appends {@code body} until it ends or the file reaches {@code maxSize} bytes (-1: no limit),
   * reporting the size after each chunk. Read errors propagate as {@link IOException} (the bytes
   * before them are kept); write errors are a {@link HubException}, as retrying would not help.
   */
  void append(InputStream body, long maxSize, LongConsumer progress) throws IOException {
    try (OutputStream out = output()) {
      byte[] buffer = new byte[BUFFER_BYTES];
      while (maxSize < 0 || size < maxSize) {
        int wanted = maxSize < 0 ? buffer.length : (int) Math.min(buffer.length, maxSize - size);
        int read = body.read(buffer, 0, wanted);
        if (read < 0) {
          break;
        }
        write(out, buffer, read);
        digest.update(buffer, 0, read);
        size += read;
        progress.accept(size);
      }
    }
  }

  /** Empties the file, for a server that will send the whole content again. */
  void restart() {
    delete();
    digest.reset();
  }

  /** Removes the file. */
  void delete() {
    HubCache.deleteIfExists(path);
    size = 0;
  }

  /** The hex sha256 of the bytes on disk; call once, when the file is complete. */
  String sha256() {
    return HexFormat.of().formatHex(digest.digest());
  }

  private OutputStream output() {
    try {
      return Files.newOutputStream(
          path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new HubException(HubException.Kind.OTHER, "cannot write " + path + ": " + e, e);
    }
  }

  private void write(OutputStream out, byte[] buffer, int length) {
    try {
      out.write(buffer, 0, length);
    } catch (IOException e) {
      throw new HubException(HubException.Kind.OTHER, "cannot write " + path + ": " + e, e);
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
