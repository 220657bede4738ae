package dev.swinserve.converter.checkpoint;

import dev.swinserve.format.tensor.FloatTensor;
import java.util.Arrays;

/**
 * A tensor as {@code torch._utils._rebuild_tensor_v2} describes it: a strided view into a storage.
 * No data is read when the pickle is run; the reader fetches storages afterwards, one at a time.
 *
 * @param storageOffset where element [0, ..., 0] is, in storage elements
 * @param stride the distance in storage elements between neighbours along each dimension
 */
record TensorReference(StorageReference storage, long storageOffset, long[] size, long[] stride) {

  TensorReference {
    if (size.length != stride.length) {
      throw new MalformedPickleException(
          "tensor size "
              + Arrays.toString(size)
              + " and stride "
              + Arrays.toString(stride)
              + " differ in rank");
    }
    if (storageOffset < 0
        || Arrays.stream(size).anyMatch(d -> d < 0)
        || Arrays.stream(stride).anyMatch(s -> s < 0)) {
      throw new MalformedPickleException(
          "tensor has a negative offset, size or stride: offset "
              + storageOffset
              + ", size "
              + Arrays.toString(size)
              + ", stride "
              + Arrays.toString(stride));
    }
  }

  long elementCount() {
    return FloatTensor.elementCount(size);
  }

  /** One past the last storage element the tensor reads; {@code storageOffset} if it is empty. */
  long storageEnd() {
    if (elementCount() == 0) {
      return storageOffset;
    }
    long last = storageOffset;
    for (int i = 0; i < size.length; i++) {
      last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
    }
    return last + 1;
  }

  /** Whether the elements lie row-major and back to back from {@code storageOffset}. */
  boolean isContiguous() {
    long expected = 1;
    for (int i = size.length - 1; i >= 0; i--) {
      // A dimension of size 1 is never stepped along, so its stride does not matter (torch agrees).
      if (size[i] != 1 && stride[i] != expected) {
        return false;
      }
      expected *= size[i];
    }
    return true;
  }

  String describeView() {
    return "size "
        + Arrays.toString(size)
        + ", stride "
        + Arrays.toString(stride)
        + ", offset "
        + storageOffset;
  }
}
