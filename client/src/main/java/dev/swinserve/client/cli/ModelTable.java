package dev.swinserve.client.cli;

import dev.swinserve.api.v1.ModelStatus;
import dev.swinserve.api.v1.VersionStatus;
import java.io.PrintWriter;
import java.util.List;

/** Models as a table: one row per version, the model's own columns on its first row only. */
final class ModelTable {

  private ModelTable() {}

  static void print(PrintWriter out, List<ModelStatus> models) {
    if (models.isEmpty()) {
      out.println("no models");
      out.flush();
      return;
    }
    TextTable table = new TextTable("model", "serving", "default", "version", "state", "labels", "error");
    for (ModelStatus model : models) {
      String name = model.getName();
      String serving = model.getServing() ? "yes" : "no";
      String defaultVersion = model.getDefaultVersion() == 0 ? "-" : Long.toString(model.getDefaultVersion());
      if (model.getVersionsCount() == 0) {
        table.add(name, serving, defaultVersion, "-", "", "", "");
      }
      for (VersionStatus version : model.getVersionsList()) {
        table.add(name, serving, defaultVersion, Long.toString(version.getVersion()), version.getState().name(),
            String.join(",", version.getLabelsList()), version.getError());
        name = "";
        serving = "";
        defaultVersion = "";
      }
    }
    table.print(out);
  }
}
