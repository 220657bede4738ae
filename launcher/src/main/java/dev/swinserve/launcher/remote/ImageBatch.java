package dev.swinserve.launcher.remote;

import com.google.protobuf.ByteString;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.Image;
import dev.swinserve.api.v1.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files that go into one {@code ClassifyRequest}, under the request id that pairs its answer.
 */
record ImageBatch(String requestId, List<Path> files) {

  ImageBatch {
    files = List.copyOf(files);
  }

  /**
   * {@code files} in order, {@code size} to a batch (the last may hold fewer); ids "0", "1", ...
   */
  static List<ImageBatch> split(List<Path> files, int size) {
    List<ImageBatch> batches = new ArrayList<>();
    for (int start = 0; start < files.size(); start += size) {
      List<Path> slice = files.subList(start, Math.min(files.size(), start + size));
      batches.add(new ImageBatch(Integer.toString(batches.size()), slice));
    }
    return batches;
  }

  /** The request, with each file's bytes as an encoded image; reads the files now. */
  ClassifyRequest toRequest(ModelSpec model, int topK) {
    ClassifyRequest.Builder request =
        ClassifyRequest.newBuilder().setRequestId(requestId).setModel(model).setTopK(topK);
    for (Path file : files) {
      try {
        request.addImages(
            Image.newBuilder().setEncoded(ByteString.copyFrom(Files.readAllBytes(file))));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return request.build();
  }
}
