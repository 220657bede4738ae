package dev.swinserve.launcher.remote;

import static dev.swinserve.bench.load.JsonWriter.quote;

import dev.swinserve.api.v1.ClassScore;
import dev.swinserve.api.v1.Classification;
import dev.swinserve.api.v1.ResolvedModel;
import io.grpc.Status;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * One JSON object per line and image, failures included, so scripts read a single stream: {@code
 * {"image":..,"model":..,"version":..,"classes":[{"rank":..,"index":..,"label":..,"score":..}]}} or
 * {@code {"image":..,"error":{"code":..,"message":..}}}.
 */
final class JsonOutput implements ClassificationOutput {

  private final PrintWriter out;

  JsonOutput(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void result(Path image, ResolvedModel model, Classification classification) {
    StringBuilder json =
        new StringBuilder("{\"image\":")
            .append(quote(image.toString()))
            .append(",\"model\":")
            .append(quote(model.getName()))
            .append(",\"version\":")
            .append(model.getVersion())
            .append(",\"classes\":[");
    List<ClassScore> classes = classification.getClassesList();
    for (int rank = 0; rank < classes.size(); rank++) {
      ClassScore score = classes.get(rank);
      json.append(rank == 0 ? "" : ",")
          .append("{\"rank\":")
          .append(rank + 1)
          .append(",\"index\":")
          .append(score.getIndex())
          .append(",\"label\":")
          .append(quote(score.getLabel()))
          .append(",\"score\":")
          .append(score.getScore())
          .append('}');
    }
    out.println(json.append("]}"));
    out.flush();
  }

  @Override
  public void failure(Path image, Status status) {
    String message = status.getDescription() != null ? status.getDescription() : "";
    out.println(
        "{\"image\":"
            + quote(image.toString())
            + ",\"error\":{\"code\":"
            + quote(status.getCode().name())
            + ",\"message\":"
            + quote(message)
            + "}}");
    out.flush();
  }
}
