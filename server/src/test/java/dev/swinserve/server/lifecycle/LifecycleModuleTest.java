package dev.swinserve.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Provides;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Components the injector creates are run in dependency order, with nothing ordered by hand. */
class LifecycleModuleTest {

  /** What every component here writes to. */
  static final class Events {
    final List<String> list = new CopyOnWriteArrayList<>();
  }

  /** Writes its start and close to the events. */
  abstract static class Recorded implements Managed {
    private final String name;
    private final Events events;

    Recorded(String name, Events events) {
      this.name = name;
      this.events = events;
    }

    @Override
    public void start() {
      events.list.add("start " + name);
    }

    @Override
    public void close() {
      events.list.add("close " + name);
    }
  }

  @Singleton
  static final class Pool extends Recorded {
    @Inject
    Pool(Events events) {
      super("pool", events);
    }
  }

  /** Not {@link Managed}: a library's type, closed through {@link LifecycleModule#closing}. */
  static final class Library implements AutoCloseable {
    private final Events events;

    Library(Events events) {
      this.events = events;
    }

    @Override
    public void close() {
      events.list.add("close library");
    }
  }

  @Singleton
  static final class Front extends Recorded {
    @Inject
    Front(Library library, Pool pool, Events events) {
      super("front", events);
    }
  }

  private final Events events = new Events();

  private Injector injector() {
    return Guice.createInjector(
        new LifecycleModule(),
        new AbstractModule() {
          @Override
          protected void configure() {
            bind(Events.class).toInstance(events);
            LifecycleModule.closing(binder(), Key.get(Library.class));
          }

          @Provides
          @Singleton
          Library library(Pool pool, Events events) {
            return new Library(events);
          }
        });
  }

  @Test
  void componentsStartAfterWhatTheyDependOnAndStopBeforeIt() throws Exception {
    Injector injector = injector();
    injector.getInstance(Front.class);
    LifecycleManager lifecycle = injector.getInstance(LifecycleManager.class);

    lifecycle.start();
    lifecycle.stop();

    assertThat(events.list)
        .containsExactly("start pool", "start front", "close front", "close library", "close pool");
  }

  @Test
  void eachComponentIsRegisteredOnceThoughInjectedTwice() {
    Injector injector = injector();
    injector.getInstance(Front.class);
    injector.getInstance(Pool.class);

    List<Managed> components = injector.getInstance(LifecycleManager.class).components();
    assertThat(components).hasSize(3);
    assertThat(components.get(0)).isInstanceOf(Pool.class);
    assertThat(components.get(1)).hasToString("closing " + Key.get(Library.class));
    assertThat(components.get(2)).isInstanceOf(Front.class);
  }
}
