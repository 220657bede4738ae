package dev.swinserve.client.testing;

import dev.swinserve.api.v1.ListModelsRequest;
import dev.swinserve.api.v1.ListModelsResponse;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.ModelStatus;
import dev.swinserve.api.v1.ReloadRepositoryRequest;
import dev.swinserve.api.v1.RemoveLabelRequest;
import dev.swinserve.api.v1.RepositoryProblem;
import dev.swinserve.api.v1.SetLabelRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code ModelService} over a fixed list of models that records what it is asked. Unknown models
 * are NOT_FOUND; SetLabel and RemoveLabel answer the model's status unchanged (the request is what
 * tests look at).
 */
public final class FakeModelService extends ModelServiceGrpc.ModelServiceImplBase {

  private final List<ModelStatus> models = new CopyOnWriteArrayList<>();
  private final List<ModelSpec> statusRequests = new CopyOnWriteArrayList<>();
  private final List<SetLabelRequest> setLabelRequests = new CopyOnWriteArrayList<>();
  private final List<RemoveLabelRequest> removeLabelRequests = new CopyOnWriteArrayList<>();
  private final List<RepositoryProblem> problems = new CopyOnWriteArrayList<>();
  private final AtomicInteger reloads = new AtomicInteger();
  private volatile Status failure;

  public void serve(ModelStatus... served) {
    models.addAll(List.of(served));
  }

  /** Repository-level problems that ListModels reports. */
  public void reportProblems(RepositoryProblem... reported) {
    problems.addAll(List.of(reported));
  }

  /** Every call from now on fails with {@code status}. */
  public void failWith(Status status) {
    this.failure = status;
  }

  public List<ModelSpec> statusRequests() {
    return List.copyOf(statusRequests);
  }

  public List<SetLabelRequest> setLabelRequests() {
    return List.copyOf(setLabelRequests);
  }

  public List<RemoveLabelRequest> removeLabelRequests() {
    return List.copyOf(removeLabelRequests);
  }

  public int reloads() {
    return reloads.get();
  }

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> responses) {
    answer(
        responses,
        ListModelsResponse.newBuilder().addAllModels(models).addAllProblems(problems).build());
  }

  @Override
  public void getModelStatus(ModelSpec request, StreamObserver<ModelStatus> responses) {
    statusRequests.add(request);
    answer(responses, find(request.getName()));
  }

  @Override
  public void setLabel(SetLabelRequest request, StreamObserver<ModelStatus> responses) {
    setLabelRequests.add(request);
    answer(responses, find(request.getModel()));
  }

  @Override
  public void removeLabel(RemoveLabelRequest request, StreamObserver<ModelStatus> responses) {
    removeLabelRequests.add(request);
    answer(responses, find(request.getModel()));
  }

  @Override
  public void reloadRepository(
      ReloadRepositoryRequest request, StreamObserver<ListModelsResponse> responses) {
    reloads.incrementAndGet();
    answer(responses, ListModelsResponse.newBuilder().addAllModels(models).build());
  }

  private ModelStatus find(String name) {
    return models.stream().filter(model -> model.getName().equals(name)).findFirst().orElse(null);
  }

  private <T> void answer(StreamObserver<T> responses, T response) {
    if (failure != null) {
      responses.onError(failure.asRuntimeException());
    } else if (response == null) {
      responses.onError(
          Status.NOT_FOUND.withDescription("no model of that name").asRuntimeException());
    } else {
      responses.onNext(response);
      responses.onCompleted();
    }
  }
}
