package dev.swinserve.bench.perfanalyzer;

import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code perf_analyzer} prints under "Client:" and its CSV leaves out: how many requests the
 * measurement counted (the sample behind its percentiles) and their mean latency. Taken from the
 * last measurement printed.
 *
 * @param requests the measured requests, if printed
 * @param meanMicros their mean latency in microseconds, if printed
 */
record ClientSummary(OptionalLong requests, OptionalDouble meanMicros) {

  private static final Pattern REQUESTS = Pattern.compile("Request count: (\\d+)");
  private static final Pattern MEAN = Pattern.compile("Avg latency: (\\d+(?:\\.\\d+)?) usec");

  static ClientSummary parse(String output) {
    String requests = last(REQUESTS.matcher(output));
    String mean = last(MEAN.matcher(output));
    return new ClientSummary(
        requests == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(requests)),
        mean == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(mean)));
  }

  private static String last(Matcher matcher) {
    String found = null;
    while (matcher.find()) {
      found = matcher.group(1);
    }
    return found;
  }
}
