package dev.swinserve.launcher.remote;

import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ClassifyResponse;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.client.SwinserveClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Sends a {@code classify} command's batches, unary or over one stream, and hands each image's
 * outcome to the output. Failures that concern one request are reported and the run goes on;
 * failures of the call itself (unknown model, server down) end it with a {@link
 * StatusRuntimeException}.
 */
final class ClassifyRun {

  private final SwinserveClient client;
  private final ModelSpec model;
  private final int topK;
  private final Duration deadline;
  private final ClassificationOutput output;
  private volatile boolean anyFailed;

  ClassifyRun(
      SwinserveClient client,
      ModelSpec model,
      int topK,
      Duration deadline,
      ClassificationOutput output) {
    this.client = client;
    this.model = model;
    this.topK = topK;
    this.deadline = deadline;
    this.output = output;
  }

  /** One Classify call per batch, in order; returns whether every image was classified. */
  boolean unary(List<ImageBatch> batches) {
    for (ImageBatch batch : batches) {
      try {
        deliver(batch, client.classify(batch.toRequest(model, topK), deadline));
      } catch (StatusRuntimeException e) {
        // A bad image spoils only its own request; any other status would fail the next one too.
        if (e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT) {
          throw e;
        }
        fail(batch, e.getStatus());
      }
    }
    return !anyFailed;
  }

  /**
   * Every batch over one ClassifyStream with at most {@code inFlight} unanswered, results reported
   * as they arrive (a broken stream is reopened and its unanswered batches sent again, as the
   * client does); returns whether every image was classified.
   */
  boolean stream(List<ImageBatch> batches, int inFlight) throws InterruptedException {
    // Answers may come in any order; the client delivers each once, for a request it sent.
    Map<String, ImageBatch> byRequestId =
        batches.stream().collect(Collectors.toMap(ImageBatch::requestId, Function.identity()));
    Iterator<ClassifyRequest> requests =
        batches.stream().map(batch -> batch.toRequest(model, topK)).iterator();
    client.classifyStream(
        requests,
        inFlight,
        response -> deliver(byRequestId.get(response.getRequestId()), response),
        deadline);
    return !anyFailed;
  }

  private void deliver(ImageBatch batch, ClassifyResponse response) {
    if (response.hasError()) {
      fail(
          batch,
          Status.fromCodeValue(response.getError().getCode())
              .withDescription(response.getError().getMessage()));
      return;
    }
    if (response.getClassificationsCount() != batch.files().size()) {
      fail(
          batch,
          Status.INTERNAL.withDescription(
              "server returned "
                  + response.getClassificationsCount()
                  + " classifications for "
                  + batch.files().size()
                  + " images"));
      return;
    }
    for (int i = 0; i < batch.files().size(); i++) {
      output.result(batch.files().get(i), response.getModel(), response.getClassifications(i));
    }
  }

  private void fail(ImageBatch batch, Status status) {
    anyFailed = true;
    batch.files().forEach(file -> output.failure(file, status));
  }
}
