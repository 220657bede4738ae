package dev.swinserve.server.grpc;

import dev.swinserve.api.v1.ListModelsResponse;
import dev.swinserve.api.v1.ModelStatus;
import dev.swinserve.api.v1.RepositoryProblem;
import dev.swinserve.api.v1.VersionState;
import dev.swinserve.api.v1.VersionStatus;
import java.util.List;

/** The registry's model statuses and repository problems as ModelService messages. */
final class ModelStatusMapping {

  private ModelStatusMapping() {}

  static ListModelsResponse list(
      List<dev.swinserve.registry.ModelStatus> models,
      List<dev.swinserve.registry.RepositoryProblem> problems) {
    ListModelsResponse.Builder response = ListModelsResponse.newBuilder();
    models.forEach(model -> response.addModels(status(model)));
    problems.forEach(problem -> response.addProblems(problem(problem)));
    return response.build();
  }

  static ModelStatus status(dev.swinserve.registry.ModelStatus model) {
    ModelStatus.Builder status =
        ModelStatus.newBuilder()
            .setName(model.name())
            .putAllLabels(model.labels())
            .setDefaultVersion(model.defaultVersion().orElse(0))
            .setServing(model.serving())
            .setError(model.error().orElse(""))
            .addAllDanglingLabels(model.danglingLabels());
    for (dev.swinserve.registry.VersionStatus version : model.versions()) {
      status.addVersions(
          VersionStatus.newBuilder()
              .setVersion(version.version())
              .setState(VersionState.valueOf(version.state().name()))
              .setError(version.error().orElse(""))
              .addAllLabels(version.labels()));
    }
    model.problems().forEach(problem -> status.addProblems(problem(problem)));
    return status.build();
  }

  private static RepositoryProblem problem(dev.swinserve.registry.RepositoryProblem problem) {
    return RepositoryProblem.newBuilder()
        .setPath(problem.path())
        .setReason(problem.reason())
        .build();
  }
}
