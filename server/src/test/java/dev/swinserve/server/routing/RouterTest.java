package dev.swinserve.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.swinserve.registry.ModelHandle;
import dev.swinserve.registry.ModelNotFoundException;
import dev.swinserve.registry.ModelVersionId;
import dev.swinserve.registry.VersionSelector;
import dev.swinserve.server.runtime.ClassificationModel;
import dev.swinserve.server.testing.ScriptedModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Splits, sticky keys and shadow shares against a fake registry. */
class RouterTest {

  private static final ModelTarget STABLE = new ModelTarget("mini", VersionSelector.version(1));
  private static final ModelTarget CANARY =
      new ModelTarget("mini", VersionSelector.label("canary"));
  private static final ModelTarget OTHER =
      new ModelTarget("other", VersionSelector.defaultVersion());

  /** Hands out a handle on model@1, or model@2 for the label "canary"; "missing" does not exist. */
  private static ModelHandle<ClassificationModel> acquire(String model, VersionSelector version) {
    if (model.equals("missing")) {
      throw new ModelNotFoundException("no model 'missing'");
    }
    long number =
        version instanceof VersionSelector.Version v
            ? v.version()
            : version instanceof VersionSelector.Label ? 2 : 1;
    return ScriptedModel.signOfFirstValue(new ModelVersionId(model, number)).handle();
  }

  private static Router router(Random random, Endpoint... endpoints) {
    Router router = new Router(RouterTest::acquire, random::nextDouble);
    router.update(table -> RoutingTable.of(List.of(endpoints)));
    return router;
  }

  private static Endpoint split(int stable, int canary) {
    return new Endpoint(
        "classifier",
        List.of(new Endpoint.Arm(STABLE, stable), new Endpoint.Arm(CANARY, canary)),
        List.of());
  }

  @Test
  void randomSplitLandsWithinTwoPointsOfTheWeightsOver10000Requests() {
    Router router = router(new Random(42), split(90, 10));

    Map<String, Integer> counts = count(router, 10_000, i -> "");

    assertThat(counts.get("mini@1") / 10_000.0).isCloseTo(0.90, within(0.02));
    assertThat(counts.get("mini@canary") / 10_000.0).isCloseTo(0.10, within(0.02));
  }

  @Test
  void keyedSplitAlsoLandsWithinTwoPointsOfTheWeights() {
    Router router =
        router(
            new Random(7),
            new Endpoint(
                "classifier",
                List.of(
                    new Endpoint.Arm(STABLE, 50),
                    new Endpoint.Arm(CANARY, 30),
                    new Endpoint.Arm(OTHER, 20)),
                List.of()));

    Map<String, Integer> counts = count(router, 10_000, i -> "user-" + i);

    assertThat(counts.get("mini@1") / 10_000.0).isCloseTo(0.50, within(0.02));
    assertThat(counts.get("mini@canary") / 10_000.0).isCloseTo(0.30, within(0.02));
    assertThat(counts.get("other") / 10_000.0).isCloseTo(0.20, within(0.02));
  }

  @Test
  void aStickyKeyNeverChangesArmWhileTheSplitIsUnchanged() {
    Router router = router(new Random(1), split(50, 50));
    Map<String, String> first = new HashMap<>();
    for (int i = 0; i < 1_000; i++) {
      first.put("user-" + i, route(router, "user-" + i));
    }

    // An unrelated change swaps the table but leaves this endpoint's split as it was.
    router.update(
        table ->
            table.with(new Endpoint("unrelated", List.of(new Endpoint.Arm(OTHER, 1)), List.of())));
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < 1_000; i++) {
        assertThat(route(router, "user-" + i))
            .as("arm of user-%d in round %d", i, round)
            .isEqualTo(first.get("user-" + i));
      }
    }
    assertThat(first.values())
        .as("different keys spread over both arms")
        .contains("mini@1", "mini@canary");
  }

  @Test
  void armsOfWeightZeroAreNeverChosen() {
    Router router = router(new Random(3), split(1, 0));

    assertThat(count(router, 1_000, i -> i % 2 == 0 ? "" : "key-" + i)).containsOnlyKeys("mini@1");
  }

  @Test
  void shadowsGetTheirShareOfRequests() {
    Router router =
        router(
            new Random(11),
            new Endpoint(
                "classifier",
                List.of(new Endpoint.Arm(STABLE, 1)),
                List.of(new Endpoint.Shadow(OTHER, 0.3), new Endpoint.Shadow(CANARY, 0.0))));
    int copies = 0;
    for (int i = 0; i < 10_000; i++) {
      Route route = router.route("classifier", VersionSelector.defaultVersion(), "");
      assertThat(route.shadows()).doesNotContain(CANARY);
      copies += route.shadows().size();
    }

    assertThat(copies / 10_000.0).isCloseTo(0.3, within(0.02));
  }

  @Test
  void aNameThatIsNoEndpointAddressesTheModelDirectly() {
    Router router = router(new Random(5), split(1, 1));

    Route route = router.route("mini", VersionSelector.version(7), "ignored-key");

    assertThat(route.primary().id()).isEqualTo(new ModelVersionId("mini", 7));
    assertThat(route.endpoint()).isEmpty();
    assertThat(route.shadows()).isEmpty();
  }

  @Test
  void anEndpointTakesNoVersionOrLabel() {
    Router router = router(new Random(5), split(1, 1));

    assertThatThrownBy(() -> router.route("classifier", VersionSelector.label("canary"), ""))
        .isInstanceOf(InvalidEndpointException.class)
        .hasMessageContaining("'classifier' is an endpoint");
  }

  @Test
  void anArmWhoseModelIsMissingFailsTheCallNotTheTable() {
    Router router =
        router(
            new Random(5),
            new Endpoint(
                "classifier",
                List.of(
                    new Endpoint.Arm(
                        new ModelTarget("missing", VersionSelector.defaultVersion()), 1)),
                List.of()));

    assertThatThrownBy(() -> router.route("classifier", VersionSelector.defaultVersion(), ""))
        .isInstanceOf(ModelNotFoundException.class);
  }

  private static String route(Router router, String key) {
    Route route = router.route("classifier", VersionSelector.defaultVersion(), key);
    route.primary().close();
    return route.arm();
  }

  private static Map<String, Integer> count(
      Router router, int requests, java.util.function.IntFunction<String> key) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < requests; i++) {
      counts.merge(route(router, key.apply(i)), 1, Integer::sum);
    }
    return counts;
  }
}
