package dev.swinserve.converter.checkpoint;

import dev.swinserve.format.tensor.FloatTensor;
import dev.swinserve.format.tensor.TensorFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads a {@code pytorch_model.bin} state dict written by torch.save since PyTorch 1.6 (a zip
 * archive), in pure Java. Its pickle runs on a safe, allowlisted machine ({@link PickleReader},
 * {@link TorchPickleEnvironment}): a pickle that names any other global is refused, never run.
 * Float32, float16 and bfloat16 tensors come back as float32 with any offset and strides resolved;
 * other dtypes, the legacy non-zip format, big-endian archives and damaged files fail with a {@link
 * TensorFormatException} naming the file and, where one is involved, the state dict key.
 *
 * <p>Each storage is streamed from the archive once and widened chunk by chunk, so memory holds the
 * result plus at most one storage's floats. Stateless and thread-safe.
 */
public final class PyTorchCheckpointReader {

  private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private PyTorchCheckpointReader() {}

  /** Every tensor of {@code file}, as float32, in state dict order. */
  public static Map<String, FloatTensor> readAll(Path file) {
    return readAll(file, key -> true);
  }

  /**
   * The tensors of {@code file} whose keys {@code include} accepts, in state dict order. Tensors it
   * rejects are neither read nor checked, so a buffer of an unsupported dtype can be skipped.
   */
  public static Map<String, FloatTensor> readAll(Path file, Predicate<String> include) {
    try (TorchArchive archive = TorchArchive.open(file)) {
      Map<String, TensorReference> wanted = new LinkedHashMap<>();
      stateDict(archive)
          .forEach(
              (key, tensor) -> {
                if (include.test(key)) {
                  wanted.put(key, tensor);
                }
              });
      // Check every tensor before reading any storage, so a bad one fails fast.
      wanted.forEach((key, tensor) -> check(file, key, tensor));
      Map<StorageReference, Map<String, TensorReference>> byStorage = new LinkedHashMap<>();
      wanted.forEach(
          (key, tensor) ->
              byStorage
                  .computeIfAbsent(tensor.storage(), storage -> new LinkedHashMap<>())
                  .put(key, tensor));
      Map<String, FloatTensor> read = new HashMap<>();
      byStorage.forEach((storage, users) -> read.putAll(readStorage(archive, storage, users)));
      Map<String, FloatTensor> ordered = new LinkedHashMap<>();
      wanted.keySet().forEach(key -> ordered.put(key, read.get(key)));
      return ordered;
    }
  }

  private static Map<String, TensorReference> stateDict(TorchArchive archive) {
    String source = archive.file() + " (" + archive.pickleEntryName() + ")";
    Object root = PickleReader.read(source, archive.readPickle(), new TorchPickleEnvironment());
    if (!(root instanceof Map<?, ?> dictionary)) {
      throw new TensorFormatException(
          source + ": holds " + PickleValues.describe(root) + ", not a state dict");
    }
    Map<String, TensorReference> tensors = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : dictionary.entrySet()) {
      if (!(entry.getKey() instanceof String key)) {
        throw new TensorFormatException(
            source
                + ": state dict key "
                + PickleValues.describe(entry.getKey())
                + " is not a string");
      }
      if (!(entry.getValue() instanceof TensorReference tensor)) {
        throw new TensorFormatException(
            source
                + ": state dict entry '"
                + key
                + "' is "
                + PickleValues.describe(entry.getValue())
                + ", not a tensor; only flat state dicts "
                + "are supported, not nested ones such as {'model': state_dict}");
      }
      tensors.put(key, tensor);
    }
    return tensors;
  }

  private static void check(Path file, String key, TensorReference tensor) {
    TorchStorageType type = tensor.storage().type();
    if (type.widening().isEmpty()) {
      throw new TensorFormatException(
          file
              + ": tensor '"
              + key
              + "' has dtype "
              + type
              + "; only float32, float16 and bfloat16 tensors can be read");
    }
    long end;
    try {
      if (tensor.elementCount() > MAX_ARRAY_LENGTH) {
        throw new ArithmeticException("more elements than one Java array holds");
      }
      end = tensor.storageEnd();
    } catch (ArithmeticException e) {
      throw new TensorFormatException(
          file
              + ": tensor '"
              + key
              + "' ("
              + tensor.describeView()
              + ") is too large: "
              + e.getMessage(),
          e);
    }
    if (end > tensor.storage().elementCount()) {
      throw new TensorFormatException(
          file
              + ": tensor '"
              + key
              + "' ("
              + tensor.describeView()
              + ") needs "
              + end
              + " elements of storage '"
              + tensor.storage().key()
              + "', which declares only "
              + tensor.storage().elementCount());
    }
  }

  /** Streams one storage and cuts every tensor that views it out of its values. */
  private static Map<String, FloatTensor> readStorage(
      TorchArchive archive, StorageReference storage, Map<String, TensorReference> users) {
    List<TensorReference> nonEmpty =
        users.values().stream().filter(tensor -> tensor.elementCount() > 0).toList();
    long first = nonEmpty.stream().mapToLong(TensorReference::storageOffset).min().orElse(0);
    long end = nonEmpty.stream().mapToLong(TensorReference::storageEnd).max().orElse(0);
    String firstKey = users.keySet().iterator().next();
    if (end - first > MAX_ARRAY_LENGTH) {
      throw new TensorFormatException(
          archive.file()
              + ": tensor '"
              + firstKey
              + "': the span of "
              + "storage '"
              + storage.key()
              + "' it uses is more than one Java array holds");
    }
    float[] values =
        nonEmpty.isEmpty() ? new float[0] : read(archive, storage, firstKey, first, end, users);
    Map<String, FloatTensor> tensors = new HashMap<>();
    users.forEach(
        (key, tensor) -> {
          // The common case, one tensor filling its own storage, keeps the decoded array as is.
          boolean whole =
              users.size() == 1
                  && tensor.isContiguous()
                  && tensor.storageOffset() == first
                  && tensor.elementCount() == values.length;
          float[] data = whole ? values : StridedCopy.rowMajor(values, first, tensor);
          tensors.put(key, new FloatTensor(tensor.size().clone(), data));
        });
    return tensors;
  }

  /**
   * Elements {@code first} to {@code end} of the storage, after checking that its entry can hold
   * them.
   */
  private static float[] read(
      TorchArchive archive,
      StorageReference storage,
      String firstKey,
      long first,
      long end,
      Map<String, TensorReference> users) {
    // What the entry can hold at most lets a short or missing entry fail before its array is
    // allocated; the count of what was actually read still catches a directory that lies.
    long bound = archive.storageBytesBound(storage.key(), firstKey);
    checkAvailable(archive, storage, users, bound / storage.type().bytesPerElement());
    float[] values = new float[(int) (end - first)];
    long available;
    try (InputStream stream = archive.openStorage(storage.key(), firstKey)) {
      available =
          StorageDecoder.decode(stream, storage.type().widening().orElseThrow(), first, values);
    } catch (IOException e) {
      throw new TensorFormatException(
          archive.file()
              + ": tensor '"
              + firstKey
              + "': cannot read "
              + archive.storageEntryName(storage.key())
              + ": "
              + e.getMessage(),
          e);
    }
    checkAvailable(archive, storage, users, available);
    return values;
  }

  /**
   * Fails, naming the first tensor that reaches past them, if {@code available} elements are too
   * few.
   */
  private static void checkAvailable(
      TorchArchive archive,
      StorageReference storage,
      Map<String, TensorReference> users,
      long available) {
    for (Map.Entry<String, TensorReference> user : users.entrySet()) {
      long needed = user.getValue().elementCount() == 0 ? 0 : user.getValue().storageEnd();
      if (needed > available) {
        throw new TensorFormatException(
            archive.file()
                + ": tensor '"
                + user.getKey()
                + "' needs "
                + needed
                + " elements of "
                + archive.storageEntryName(storage.key())
                + " ("
                + storage.type().dtype()
                + "), but the entry holds only "
                + available);
      }
    }
  }
}
