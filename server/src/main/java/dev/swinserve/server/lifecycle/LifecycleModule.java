package dev.swinserve.server.lifecycle;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.Binding;
import com.google.inject.Key;
import com.google.inject.Provider;
import com.google.inject.matcher.AbstractMatcher;
import com.google.inject.matcher.Matchers;
import com.google.inject.spi.ProvisionListener;

/**
 * Binds one {@link LifecycleManager} and registers with it every {@link Managed} component the
 * injector creates, once created: a component's dependencies are created (and registered) first, so
 * registration order is dependency order (as airlift's {@code LifeCycleManager} does). Instances
 * bound with {@code toInstance} are not created by the injector and so are not registered.
 */
public final class LifecycleModule extends AbstractModule {

  @Override
  protected void configure() {
    LifecycleManager lifecycle = new LifecycleManager();
    bind(LifecycleManager.class).toInstance(lifecycle);
    bindListener(
        Matchers.any(),
        new ProvisionListener() {
          @Override
          public <T> void onProvision(ProvisionInvocation<T> provision) {
            if (provision.provision() instanceof Managed component) {
              lifecycle.register(component);
            }
          }
        });
  }

  /**
   * Closes the instance bound to {@code key}, an {@link AutoCloseable} that is not {@link Managed}
   * (a library's type), with the other components: after those that depend on it, before those it
   * depends on (airlift's {@code ClosingBinder}). Needs this module installed in the same injector.
   */
  public static void closing(Binder binder, Key<? extends AutoCloseable> key) {
    Provider<LifecycleManager> lifecycle = binder.getProvider(LifecycleManager.class);
    binder.bindListener(
        new AbstractMatcher<Binding<?>>() {
          @Override
          public boolean matches(Binding<?> binding) {
            return binding.getKey().equals(key);
          }
        },
        new ProvisionListener() {
          @Override
          public <T> void onProvision(ProvisionInvocation<T> provision) {
            lifecycle.get().register(new Closing(key, (AutoCloseable) provision.provision()));
          }
        });
  }

  /** An {@link AutoCloseable} as a component that only closes. */
  private record Closing(Key<?> key, AutoCloseable closeable) implements Managed {
    @Override
    public void close() throws Exception {
      closeable.close();
    }

    @Override
    public String toString() {
      return "closing " + key;
    }
  }
}
