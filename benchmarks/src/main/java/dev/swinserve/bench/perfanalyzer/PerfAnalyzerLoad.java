package dev.swinserve.bench.perfanalyzer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code perf_analyzer} run: a closed loop of {@code concurrency} synchronous callers, each
 * sending {@code batch} images per request to {@code model} through {@code protocol}, measured for
 * {@code duration}.
 *
 * <p>{@code perf_analyzer} measures in windows and reports once three in a row agree; here the
 * duration is split into exactly three windows and the agreement bound is set so wide that the
 * first three always do, so it measures for {@code duration}, as the load generator does, rather
 * than until the machine happens to be steady. Its report merges the three windows.
 *
 * @param inputData the {@code --input-data} JSON file holding the tensor every request sends
 * @param csv where {@code perf_analyzer} writes its measurement ({@code -f})
 */
record PerfAnalyzerLoad(
    Protocol protocol,
    String target,
    String model,
    int concurrency,
    int batch,
    Duration duration,
    Path inputData,
    Path csv) {

  /** Windows per measurement: what {@code perf_analyzer} compares to call a result stable. */
  static final int WINDOWS = 3;

  /** A stability bound no three windows miss: max / min within 1000%. */
  static final int STABILITY_PERCENT = 1000;

  PerfAnalyzerLoad {
    if (concurrency < 1 || batch < 1) {
      throw new IllegalArgumentException(
          "concurrency and batch must be at least 1, were " + concurrency + " and " + batch);
    }
    if (duration.toMillis() < WINDOWS) {
      throw new IllegalArgumentException("duration must be at least 3 ms, was " + duration);
    }
  }

  /** The command line after the executable. */
  List<String> arguments() {
    List<String> arguments = new ArrayList<>(protocol.arguments(target));
    arguments.addAll(
        List.of(
            "-m",
            model,
            "-b",
            Integer.toString(batch),
            "--sync",
            "--concurrency-range",
            concurrency + ":" + concurrency,
            "--measurement-mode",
            "time_windows",
            "-p",
            Long.toString(duration.toMillis() / WINDOWS),
            "-s",
            Integer.toString(STABILITY_PERCENT),
            "-r",
            Integer.toString(WINDOWS),
            "--input-data",
            inputData.toString(),
            "-f",
            csv.toString()));
    return arguments;
  }
}
