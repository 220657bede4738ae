package dev.swinserve.server.scheduling;

import dev.swinserve.server.runtime.ClassificationModel;

/**
 * A model that carries the batching options its loader bound from its {@code model.yaml}; the
 * scheduler reads them ({@link #of}), the model itself only warms the sizes they pad to. A model
 * that is not one is batched with {@link BatchingConfig#defaults()}.
 */
public interface BatchedModel extends ClassificationModel {

  /** How calls to this version are batched; immutable. */
  BatchingConfig batching();

  /** {@code model}'s batching options, or the defaults if it carries none. */
  static BatchingConfig of(ClassificationModel model) {
    return model instanceof BatchedModel batched ? batched.batching() : BatchingConfig.defaults();
  }
}
