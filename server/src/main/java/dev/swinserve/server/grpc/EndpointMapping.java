package dev.swinserve.server.grpc;

import dev.swinserve.api.v1.Arm;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.ShadowArm;
import dev.swinserve.registry.VersionSelector;
import dev.swinserve.server.routing.Endpoint;
import dev.swinserve.server.routing.ModelTarget;
import java.util.ArrayList;
import java.util.List;

/** Endpoint messages to the router's domain types and back; validation is the domain's. */
final class EndpointMapping {

  private EndpointMapping() {}

  static Endpoint endpoint(dev.swinserve.api.v1.Endpoint message) {
    List<Endpoint.Arm> arms = new ArrayList<>();
    for (Arm arm : message.getArmsList()) {
      arms.add(new Endpoint.Arm(target(arm.getModel()), arm.getWeight()));
    }
    List<Endpoint.Shadow> shadows = new ArrayList<>();
    for (ShadowArm shadow : message.getShadowsList()) {
      shadows.add(new Endpoint.Shadow(target(shadow.getModel()), shadow.getShare()));
    }
    return new Endpoint(message.getName(), arms, shadows);
  }

  static dev.swinserve.api.v1.Endpoint message(Endpoint endpoint) {
    dev.swinserve.api.v1.Endpoint.Builder message =
        dev.swinserve.api.v1.Endpoint.newBuilder().setName(endpoint.name());
    for (Endpoint.Arm arm : endpoint.arms()) {
      message.addArms(Arm.newBuilder().setModel(spec(arm.model())).setWeight(arm.weight()));
    }
    for (Endpoint.Shadow shadow : endpoint.shadows()) {
      message.addShadows(
          ShadowArm.newBuilder().setModel(spec(shadow.model())).setShare(shadow.share()));
    }
    return message.build();
  }

  private static ModelTarget target(ModelSpec spec) {
    return new ModelTarget(spec.getName(), ProtoMapping.selector(spec));
  }

  private static ModelSpec spec(ModelTarget target) {
    ModelSpec.Builder spec = ModelSpec.newBuilder().setName(target.model());
    if (target.version() instanceof VersionSelector.Version version) {
      spec.setVersion(version.version());
    } else if (target.version() instanceof VersionSelector.Label label) {
      spec.setLabel(label.label());
    }
    return spec.build();
  }
}
