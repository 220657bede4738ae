package dev.swinserve.server.classify;

import dev.swinserve.server.classify.ClassificationResult.ClassScore;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/** Logits to what a client reads: softmax probabilities and the top classes, best first. */
final class Postprocessing {

  private Postprocessing() {}

  /** The {@code k} most probable classes of one image; ties go to the lower index. */
  static List<ClassScore> topClasses(float[] logits, List<String> labels, int k) {
    double max = Double.NEGATIVE_INFINITY;
    for (float logit : logits) {
      max = Math.max(max, logit);
    }
    double sum = 0;
    for (float logit : logits) {
      sum += Math.exp(logit - max);
    }
    int count = Math.min(k, logits.length);
    PriorityQueue<Integer> best =
        new PriorityQueue<>(
            count + 1,
            (a, b) ->
                logits[a] != logits[b]
                    ? Float.compare(logits[a], logits[b])
                    : Integer.compare(b, a));
    for (int i = 0; i < logits.length; i++) {
      best.add(i);
      if (best.size() > count) {
        best.poll();
      }
    }
    List<ClassScore> classes = new ArrayList<>(count);
    while (!best.isEmpty()) {
      int index = best.poll();
      classes.add(
          0,
          new ClassScore(index, labels.get(index), (float) (Math.exp(logits[index] - max) / sum)));
    }
    return classes;
  }

  /** The index of the largest logit; ties go to the lower index, as in {@link #topClasses}. */
  static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}
