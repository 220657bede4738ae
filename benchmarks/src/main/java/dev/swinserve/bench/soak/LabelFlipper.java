package dev.swinserve.bench.soak;

import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.ModelStatus;
import dev.swinserve.api.v1.SetLabelRequest;
import dev.swinserve.api.v1.VersionState;
import dev.swinserve.api.v1.VersionStatus;
import io.grpc.Channel;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Moves a model's {@code stable} label, which decides its default version, to another of its
 * AVAILABLE versions through {@code ModelService.SetLabel}, as an operator promoting or rolling
 * back does. Thread-safe.
 */
final class LabelFlipper {

  static final String LABEL = "stable";
  private static final long DEADLINE_SECONDS = 10;

  private final Channel channel;

  LabelFlipper(Channel channel) {
    this.channel = channel;
  }

  /**
   * Points {@code stable} of {@code model} at an AVAILABLE version it does not point at now, drawn
   * from {@code random}; returns what was done, or why nothing was.
   *
   * @throws io.grpc.StatusRuntimeException when the server refuses
   */
  String flip(String model, SplittableRandom random) {
    ModelServiceGrpc.ModelServiceBlockingStub models =
        ModelServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    ModelStatus status = models.getModelStatus(Requests.model(model));
    Long current = status.getLabelsMap().get(LABEL);
    List<Long> candidates =
        status.getVersionsList().stream()
            .filter(version -> version.getState() == VersionState.AVAILABLE)
            .map(VersionStatus::getVersion)
            .filter(version -> !version.equals(current))
            .toList();
    if (candidates.isEmpty()) {
      return model + ": skipped, no other AVAILABLE version than " + current;
    }
    long target = candidates.get(random.nextInt(candidates.size()));
    models.setLabel(
        SetLabelRequest.newBuilder().setModel(model).setLabel(LABEL).setVersion(target).build());
    return model + ": " + LABEL + " " + (current == null ? "(unset)" : current) + " -> " + target;
  }
}
