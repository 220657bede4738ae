package dev.swinserve.converter.checkpoint;

import dev.swinserve.format.tensor.TensorFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The zip archive torch.save writes since PyTorch 1.6: {@code <archive>/data.pkl} (the pickle),
 * {@code <archive>/data/<key>} (one raw little-endian storage each), {@code <archive>/version} and
 * maybe {@code <archive>/byteorder}. Entries are read through the central directory, one stream at
 * a time, so the archive is never held in memory.
 *
 * <p>Not thread-safe; close it to release the file.
 */
final class TorchArchive implements AutoCloseable {

  private static final byte[] ZIP_SIGNATURE = {'P', 'K', 3, 4};

  /** PROTO 2 then LONG1 of torch's legacy magic number 0x1950a86a20f9469cfc6c. */
  private static final byte[] LEGACY_SIGNATURE = {
    (byte) 0x80,
    0x02,
    (byte) 0x8a,
    0x0a,
    0x6c,
    (byte) 0xfc,
    (byte) 0x9c,
    0x46,
    (byte) 0xf9,
    0x20,
    0x6a,
    (byte) 0xa8,
    0x50,
    0x19
  };

  /** State dict pickles are kilobytes to a few megabytes; this only stops a hostile entry. */
  private static final int MAX_PICKLE_BYTES = 1 << 30;

  /** Deflate's largest expansion: 258 bytes from each 2 bits of a maximal run. */
  private static final long MAX_DEFLATE_RATIO = 1032;

  private final Path file;
  private final ZipFile zip;
  private final String prefix;
  private final long fileSize;

  private TorchArchive(Path file, ZipFile zip, String prefix, long fileSize) {
    this.file = file;
    this.zip = zip;
    this.prefix = prefix;
    this.fileSize = fileSize;
  }

  /** Opens {@code file}, telling a legacy or non-zip file from a damaged archive in the message. */
  static TorchArchive open(Path file) {
    checkSignature(file);
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new TensorFormatException(
          file + ": truncated or corrupt zip archive: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new TensorFormatException(file + ": cannot open: " + e.getMessage(), e);
    }
    try {
      TorchArchive archive = new TorchArchive(file, zip, findPrefix(file, zip), sizeOf(file));
      archive.checkByteOrder();
      return archive;
    } catch (RuntimeException e) {
      closeQuietly(zip);
      throw e;
    }
  }

  Path file() {
    return file;
  }

  /** {@code <archive>/data.pkl}, for messages. */
  String pickleEntryName() {
    return prefix + "data.pkl";
  }

  byte[] readPickle() {
    ZipEntry entry = zip.getEntry(pickleEntryName());
    if (entry.getSize() > MAX_PICKLE_BYTES) {
      throw new TensorFormatException(
          file
              + ": "
              + pickleEntryName()
              + " is "
              + entry.getSize()
              + " bytes, too large for a state dict");
    }
    byte[] pickle;
    try (InputStream stream = zip.getInputStream(entry)) {
      pickle = stream.readNBytes(MAX_PICKLE_BYTES + 1);
    } catch (IOException e) {
      throw new TensorFormatException(
          file + ": cannot read " + pickleEntryName() + ": " + e.getMessage(), e);
    }
    if (pickle.length > MAX_PICKLE_BYTES) {
      throw new TensorFormatException(
          file
              + ": "
              + pickleEntryName()
              + " is over "
              + MAX_PICKLE_BYTES
              + " bytes, too large for a state dict");
    }
    return pickle;
  }

  /** {@code <archive>/data/<key>}, for messages. */
  String storageEntryName(String storageKey) {
    return prefix + "data/" + storageKey;
  }

  /**
   * The most bytes a storage entry can yield, known before reading it: the size the zip directory
   * records, capped by what the entry's compressed bytes can expand to (as many if stored, at most
   * {@value #MAX_DEFLATE_RATIO} times as many if deflated; never more than the file holds). So a
   * directory or pickle that claims gigabytes costs no more memory than the file could really
   * inflate to.
   *
   * @param tensorKey the state dict key that needs the storage, named if the entry is missing
   * @throws TensorFormatException if the archive has no such entry
   */
  long storageBytesBound(String storageKey, String tensorKey) {
    ZipEntry entry = storageEntry(storageKey, tensorKey);
    long compressed =
        entry.getCompressedSize() < 0 ? fileSize : Math.min(entry.getCompressedSize(), fileSize);
    long bound = entry.getMethod() == ZipEntry.STORED ? compressed : compressed * MAX_DEFLATE_RATIO;
    return entry.getSize() < 0 ? bound : Math.min(bound, entry.getSize());
  }

  /**
   * Opens a storage's bytes for streaming; the caller closes the stream.
   *
   * @param tensorKey the state dict key that needs the storage, named if the entry is missing
   */
  InputStream openStorage(String storageKey, String tensorKey) throws IOException {
    return zip.getInputStream(storageEntry(storageKey, tensorKey));
  }

  private ZipEntry storageEntry(String storageKey, String tensorKey) {
    ZipEntry entry = zip.getEntry(storageEntryName(storageKey));
    if (entry == null || entry.isDirectory()) {
      throw new TensorFormatException(
          file
              + ": tensor '"
              + tensorKey
              + "': its storage entry "
              + storageEntryName(storageKey)
              + " is missing from the archive");
    }
    return entry;
  }

  private static void checkSignature(Path file) {
    byte[] head;
    try (InputStream stream = Files.newInputStream(file)) {
      head = stream.readNBytes(LEGACY_SIGNATURE.length);
    } catch (IOException e) {
      throw new TensorFormatException(file + ": cannot open: " + e.getMessage(), e);
    }
    if (startsWith(head, ZIP_SIGNATURE)) {
      return;
    }
    if (startsWith(head, LEGACY_SIGNATURE)) {
      throw new TensorFormatException(
          file
              + ": legacy PyTorch format (torch.save before 1.6, or "
              + "_use_new_zipfile_serialization=False), which is not supported; re-save it with "
              + "torch>=1.6 or use model.safetensors");
    }
    throw new TensorFormatException(
        file
            + ": not a PyTorch zip checkpoint (torch.save since 1.6): "
            + (head.length < ZIP_SIGNATURE.length
                ? "truncated to " + head.length + " bytes"
                : "it does not start with a zip signature"));
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new TensorFormatException(file + ": cannot read its size: " + e.getMessage(), e);
    }
  }

  private static boolean startsWith(byte[] head, byte[] signature) {
    return head.length >= signature.length
        && Arrays.equals(head, 0, signature.length, signature, 0, signature.length);
  }

  // torch.load uses the first entry's folder; we take the first folder that holds data.pkl, which
  // also turns a TorchScript archive (code/, constants.pkl) into a clear error.
  private static String findPrefix(Path file, ZipFile zip) {
    for (ZipEntry entry : Collections.list(zip.entries())) {
      String name = entry.getName();
      int slash = name.indexOf('/');
      if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
        return name.substring(0, slash + 1);
      }
    }
    throw new TensorFormatException(
        file
            + ": zip archive has no <archive>/data.pkl entry, so it is "
            + "not a torch.save state dict");
  }

  private void checkByteOrder() {
    ZipEntry entry = zip.getEntry(prefix + "byteorder");
    if (entry == null) {
      return; // older archives have no byteorder entry; they were all written little-endian
    }
    String order;
    try (InputStream stream = zip.getInputStream(entry)) {
      order = new String(stream.readNBytes(16), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new TensorFormatException(
          file + ": cannot read " + entry.getName() + ": " + e.getMessage(), e);
    }
    if (!order.equals("little")) {
      throw new TensorFormatException(
          file
              + ": storages are '"
              + order
              + "'-endian ("
              + entry.getName()
              + "); only little-endian checkpoints are supported");
    }
  }

  private static void closeQuietly(ZipFile zip) {
    try {
      zip.close();
    } catch (IOException ignored) {
      // the open failed already; that error is the one to report
    }
  }

  @Override
  public void close() {
    try {
      zip.close();
    } catch (IOException e) {
      throw new TensorFormatException(file + ": close failed: " + e.getMessage(), e);
    }
  }
}
