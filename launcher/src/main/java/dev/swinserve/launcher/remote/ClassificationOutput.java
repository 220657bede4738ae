package dev.swinserve.launcher.remote;

import dev.swinserve.api.v1.Classification;
import dev.swinserve.api.v1.ResolvedModel;
import io.grpc.Status;
import java.nio.file.Path;

/** Where {@code classify} reports each image's outcome; called from one thread at a time. */
interface ClassificationOutput {

  void result(Path image, ResolvedModel model, Classification classification);

  void failure(Path image, Status status);
}
