package dev.swinserve.converter.checkpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The allowlist that makes a torch.save pickle safe to run: an {@code OrderedDict}, the tensor and
 * parameter rebuild functions, and the typed storage classes. Every other global is refused by
 * name, whatever it is, because resolving a global is how a pickle runs code. Rebuilding a tensor
 * yields a {@link TensorReference}; storages are referenced, never read, while the pickle runs.
 */
final class TorchPickleEnvironment implements PickleEnvironment {

  private static final String STORAGE_MODULE = "torch";
  private static final String STORAGE_SUFFIX = "Storage";

  private static final Map<String, PickleCallable> CALLABLES =
      Map.of(
          "collections.OrderedDict", TorchPickleEnvironment::orderedDict,
          "torch._utils._rebuild_tensor_v2", TorchPickleEnvironment::rebuildTensor,
          "torch._utils._rebuild_parameter", TorchPickleEnvironment::rebuildParameter,
          "torch._utils._rebuild_parameter_with_state", TorchPickleEnvironment::rebuildParameter);

  @Override
  public Object global(String module, String name) {
    String qualified = module + "." + name;
    PickleCallable callable = CALLABLES.get(qualified);
    if (callable != null) {
      return callable;
    }
    Optional<TorchStorageType> storage =
        module.equals(STORAGE_MODULE) && name.endsWith(STORAGE_SUFFIX)
            ? TorchStorageType.forClassName(name)
            : Optional.empty();
    return storage.orElseThrow(
        () ->
            new MalformedPickleException(
                "refusing global '"
                    + qualified
                    + "': a state dict needs only "
                    + String.join(", ", new TreeSet<>(CALLABLES.keySet()))
                    + " and torch.*Storage types, and running anything else could execute arbitrary code"));
  }

  /** {@code ('storage', storage_type, key, location, numel)}, as torch.save writes it. */
  @Override
  public Object persistentLoad(Object persistentId) {
    List<Object> fields = PickleValues.sequence(persistentId, "persistent id");
    if (fields.size() != 5 || !"storage".equals(fields.get(0))) {
      throw new MalformedPickleException(
          "persistent id should be ('storage', type, key, location, "
              + "numel), found "
              + PickleValues.describe(persistentId)
              + " starting with "
              + (fields.isEmpty() ? "nothing" : PickleValues.describe(fields.get(0))));
    }
    TorchStorageType type =
        PickleValues.instance(
            fields.get(1),
            TorchStorageType.class,
            "a torch.*Storage type",
            "persistent id storage type");
    String key = PickleValues.string(fields.get(2), "persistent id key");
    String location = PickleValues.string(fields.get(3), "persistent id location");
    long elementCount = PickleValues.integer(fields.get(4), "persistent id numel");
    if (elementCount < 0) {
      throw new MalformedPickleException(
          "storage '" + key + "' has negative numel " + elementCount);
    }
    return new StorageReference(type, key, location, elementCount);
  }

  private static Object orderedDict(List<Object> arguments) {
    Map<Object, Object> dictionary = new LinkedHashMap<>();
    if (arguments.isEmpty()) {
      return dictionary;
    }
    if (arguments.size() != 1) {
      throw new MalformedPickleException(
          "OrderedDict takes at most one argument, got " + arguments.size());
    }
    for (Object item : PickleValues.sequence(arguments.get(0), "OrderedDict items")) {
      List<Object> pair = PickleValues.sequence(item, "OrderedDict item");
      if (pair.size() != 2) {
        throw new MalformedPickleException(
            "OrderedDict item should be a pair, found " + PickleValues.describe(item));
      }
      dictionary.put(PickleValues.dictionaryKey(pair.get(0), "OrderedDict key"), pair.get(1));
    }
    return dictionary;
  }

  /**
   * {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
   * backward_hooks[, metadata])}; gradients, hooks and metadata mean nothing to inference and are
   * ignored.
   */
  private static Object rebuildTensor(List<Object> arguments) {
    if (arguments.size() != 6 && arguments.size() != 7) {
      throw new MalformedPickleException(
          "_rebuild_tensor_v2 takes 6 or 7 arguments, got " + arguments.size());
    }
    StorageReference storage =
        PickleValues.instance(
            arguments.get(0),
            StorageReference.class,
            "a persistent storage",
            "_rebuild_tensor_v2 storage");
    long offset = PickleValues.integer(arguments.get(1), "_rebuild_tensor_v2 storage_offset");
    long[] size = integers(arguments.get(2), "_rebuild_tensor_v2 size");
    long[] stride = integers(arguments.get(3), "_rebuild_tensor_v2 stride");
    return new TensorReference(storage, offset, size, stride);
  }

  /**
   * {@code _rebuild_parameter(data, requires_grad, backward_hooks[, state])}: the data is the
   * tensor.
   */
  private static Object rebuildParameter(List<Object> arguments) {
    if (arguments.isEmpty()) {
      throw new MalformedPickleException("_rebuild_parameter without arguments");
    }
    return PickleValues.instance(
        arguments.get(0), TensorReference.class, "a tensor", "_rebuild_parameter data");
  }

  private static long[] integers(Object tuple, String role) {
    List<Object> items = PickleValues.sequence(tuple, role);
    long[] values = new long[items.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = PickleValues.integer(items.get(i), role + " item");
    }
    return values;
  }
}
