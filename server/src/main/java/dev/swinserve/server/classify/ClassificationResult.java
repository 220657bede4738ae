package dev.swinserve.server.classify;

import dev.swinserve.registry.ModelVersionId;
import java.util.List;

/** What a model version answered: per request image, in request order. */
public record ClassificationResult(ModelVersionId model, List<ImageClassification> images) {

  /**
   * @param logits every class's logit, or null when the request did not ask for them
   */
  public record ImageClassification(List<ClassScore> classes, float[] logits) {}

  public record ClassScore(int index, String label, float score) {}
}
