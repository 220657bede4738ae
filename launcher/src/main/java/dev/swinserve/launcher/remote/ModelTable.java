package dev.swinserve.launcher.remote;

import dev.swinserve.api.v1.ModelStatus;
import dev.swinserve.api.v1.RepositoryProblem;
import dev.swinserve.api.v1.VersionStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Models as a table: one row per version, the model's own columns on its first row only; then,
 * under "problems:", one line per broken model.yaml, dangling label and refused path.
 */
final class ModelTable {

  private ModelTable() {}

  static void print(PrintWriter out, List<ModelStatus> models) {
    print(out, models, List.of());
  }

  /**
   * @param repositoryProblems what the server refuses at the top of its repository
   */
  static void print(
      PrintWriter out, List<ModelStatus> models, List<RepositoryProblem> repositoryProblems) {
    if (models.isEmpty()) {
      out.println("no models");
    } else {
      table(models).print(out);
    }
    List<String> problems = problems(models, repositoryProblems);
    if (!problems.isEmpty()) {
      out.println("problems:");
      problems.forEach(problem -> out.println("  " + problem));
    }
    out.flush();
  }

  private static TextTable table(List<ModelStatus> models) {
    TextTable table =
        new TextTable("model", "serving", "default", "version", "state", "labels", "error");
    for (ModelStatus model : models) {
      String name = model.getName();
      String serving = model.getServing() ? "yes" : "no";
      String defaultVersion =
          model.getDefaultVersion() == 0 ? "-" : Long.toString(model.getDefaultVersion());
      if (model.getVersionsCount() == 0) {
        table.add(name, serving, defaultVersion, "-", "", "", "");
      }
      for (VersionStatus version : model.getVersionsList()) {
        table.add(
            name,
            serving,
            defaultVersion,
            Long.toString(version.getVersion()),
            version.getState().name(),
            String.join(",", version.getLabelsList()),
            version.getError());
        name = "";
        serving = "";
        defaultVersion = "";
      }
    }
    return table;
  }

  private static List<String> problems(
      List<ModelStatus> models, List<RepositoryProblem> repositoryProblems) {
    List<String> problems = new ArrayList<>();
    for (ModelStatus model : models) {
      if (!model.getError().isEmpty()) {
        problems.add(model.getName() + ": " + model.getError());
      }
      for (String label : model.getDanglingLabelsList()) {
        problems.add(
            model.getName()
                + ": label '"
                + label
                + "' dangles: version "
                + model.getLabelsOrDefault(label, 0)
                + " is gone or FAILED");
      }
      model
          .getProblemsList()
          .forEach(problem -> problems.add(problem.getPath() + ": " + problem.getReason()));
    }
    repositoryProblems.forEach(
        problem -> problems.add(problem.getPath() + ": " + problem.getReason()));
    return problems;
  }
}
