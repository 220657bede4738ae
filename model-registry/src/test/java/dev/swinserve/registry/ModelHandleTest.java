package dev.swinserve.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModelHandleTest {

  private static final ModelVersionId ID = new ModelVersionId("m", 3);

  @Test
  void closeReleasesExactlyOnce() {
    AtomicInteger releases = new AtomicInteger();
    ModelHandle<String> handle = new ModelHandle<>(ID, "servable", releases::incrementAndGet);

    handle.close();
    handle.close();

    assertThat(releases).hasValue(1);
  }

  @Test
  void givesTheServableOnlyWhileOpen() {
    ModelHandle<String> handle = new ModelHandle<>(ID, "servable", () -> {});

    assertThat(handle.id()).isEqualTo(ID);
    assertThat(handle.servable()).isEqualTo("servable");
    handle.close();
    assertThatThrownBy(handle::servable)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the handle on m@3 is closed");
  }
}
