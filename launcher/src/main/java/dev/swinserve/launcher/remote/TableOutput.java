package dev.swinserve.launcher.remote;

import dev.swinserve.api.v1.ClassScore;
import dev.swinserve.api.v1.Classification;
import dev.swinserve.api.v1.ResolvedModel;
import io.grpc.Status;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Results as a table, one row per class, printed as they arrive; failures go to standard error.
 * Column widths are fixed up front from the file names and model name, since later rows cannot
 * widen rows already printed.
 */
final class TableOutput implements ClassificationOutput {

  private static final String[] HEADERS = {"image", "model", "rank", "class", "score"};
  // Room for "@" and a few version digits after the model name.
  private static final int VERSION_ROOM = 4;
  private static final int CLASS_WIDTH = 24;

  private final PrintWriter out;
  private final PrintWriter err;
  private final int[] widths;
  private boolean headerPrinted;

  TableOutput(PrintWriter out, PrintWriter err, List<Path> images, String modelName) {
    this.out = out;
    this.err = err;
    int imageWidth = images.stream().mapToInt(image -> image.toString().length()).max().orElse(0);
    this.widths =
        new int[] {
          Math.max(HEADERS[0].length(), imageWidth),
          Math.max(HEADERS[1].length(), modelName.length() + VERSION_ROOM),
          HEADERS[2].length(),
          CLASS_WIDTH,
          0
        };
  }

  @Override
  public void result(Path image, ResolvedModel model, Classification classification) {
    if (!headerPrinted) {
      out.println(TextTable.line(widths, HEADERS));
      headerPrinted = true;
    }
    String imageCell = image.toString();
    String modelCell = model.getName() + "@" + model.getVersion();
    List<ClassScore> classes = classification.getClassesList();
    for (int rank = 0; rank < classes.size(); rank++) {
      ClassScore score = classes.get(rank);
      out.println(
          TextTable.line(
              widths,
              imageCell,
              modelCell,
              Integer.toString(rank + 1),
              score.getLabel(),
              String.format(Locale.ROOT, "%.4f", score.getScore())));
      imageCell = "";
      modelCell = "";
    }
    out.flush();
  }

  @Override
  public void failure(Path image, Status status) {
    err.println(image + ": " + CommandErrors.describe(status, null));
    err.flush();
  }
}
