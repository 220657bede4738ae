package dev.swinserve.client;

import dev.swinserve.api.v1.ListModelsRequest;
import dev.swinserve.api.v1.ListModelsResponse;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.ModelStatus;
import dev.swinserve.api.v1.ReloadRepositoryRequest;
import dev.swinserve.api.v1.RemoveLabelRequest;
import dev.swinserve.api.v1.SetLabelRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Inspects and steers the models a swinserve server hosts, through its {@code ModelService}.
 *
 * <p>Thread-safe. The client owns its channel; {@link #close()} shuts it down. Every method blocks
 * until the answer arrives or its deadline passes, and throws {@link StatusRuntimeException} with
 * the server's status when the call fails.
 */
public final class ModelServiceClient implements AutoCloseable {

  private final ManagedChannel channel;
  private final ModelServiceGrpc.ModelServiceBlockingStub stub;
  private final HealthGrpc.HealthBlockingStub health;

  /** A client over {@code channel}, which it takes ownership of. */
  public ModelServiceClient(ManagedChannel channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.stub = ModelServiceGrpc.newBlockingStub(channel);
    this.health = HealthGrpc.newBlockingStub(channel);
  }

  /** A client over a new plaintext channel to {@code target} ({@code HOST:PORT}). */
  public static ModelServiceClient connect(String target) {
    return new ModelServiceClient(ClientChannels.plaintext(target));
  }

  /** Every model the server's repository holds, with each version's state. */
  public List<ModelStatus> listModels(Duration deadline) {
    return listModelsAndProblems(deadline).getModelsList();
  }

  /**
   * Every model, as {@link #listModels}, and what the server refuses or cannot read at the top of
   * its repository (invalid folder names, links leading outside it).
   */
  public ListModelsResponse listModelsAndProblems(Duration deadline) {
    return withDeadline(deadline).listModels(ListModelsRequest.getDefaultInstance());
  }

  /** One model; with a version or label in {@code model}, only that version is listed. */
  public ModelStatus getModelStatus(ModelSpec model, Duration deadline) {
    return withDeadline(deadline).getModelStatus(model);
  }

  /**
   * Points {@code label} of {@code model} at {@code version} and returns the model's new status.
   */
  public ModelStatus setLabel(String model, String label, long version, Duration deadline) {
    SetLabelRequest request =
        SetLabelRequest.newBuilder().setModel(model).setLabel(label).setVersion(version).build();
    return withDeadline(deadline).setLabel(request);
  }

  /**
   * Removes a label set at run time and returns the model's new status; where the model's
   * model.yaml sets the same label, the file's value applies again. Fails with NOT_FOUND for an
   * unknown model or label, FAILED_PRECONDITION when only model.yaml sets the label.
   */
  public ModelStatus removeLabel(String model, String label, Duration deadline) {
    RemoveLabelRequest request =
        RemoveLabelRequest.newBuilder().setModel(model).setLabel(label).build();
    return withDeadline(deadline).removeLabel(request);
  }

  /**
   * Asks the server to rescan its repository now; returns once every new version has loaded or
   * failed, so {@code deadline} should allow for model loading.
   */
  public List<ModelStatus> reloadRepository(Duration deadline) {
    return withDeadline(deadline)
        .reloadRepository(ReloadRepositoryRequest.getDefaultInstance())
        .getModelsList();
  }

  /**
   * The server's answer to the standard gRPC health check for {@code service}: "" for the server as
   * a whole (SERVING once its models are loaded, NOT_SERVING while it drains), or a model's name.
   */
  public HealthCheckResponse.ServingStatus health(String service, Duration deadline) {
    return health
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build())
        .getStatus();
  }

  /** Shuts the channel down, giving calls in progress up to five seconds to end. */
  @Override
  public void close() {
    ClientChannels.shutdown(channel);
  }

  private ModelServiceGrpc.ModelServiceBlockingStub withDeadline(Duration deadline) {
    return stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }
}
