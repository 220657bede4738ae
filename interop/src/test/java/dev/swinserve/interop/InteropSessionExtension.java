package dev.swinserve.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test an {@link InteropSession}: one for the whole test run, started by the first test
 * that asks and closed when the run ends (JUnit's root store). A session that failed to start is
 * not started again: every later test fails with the same error at once.
 */
final class InteropSessionExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(InteropSessionExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == InteropSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Startup.class, key -> Startup.attempt(), Startup.class)
        .session();
  }

  /** The session, or why it could not start; closed with the root store. */
  private record Startup(InteropSession started, RuntimeException failure)
      implements ExtensionContext.Store.CloseableResource {

    static Startup attempt() {
      try {
        return new Startup(InteropSession.start(), null);
      } catch (IOException e) {
        return new Startup(null, new UncheckedIOException(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Startup(null, new IllegalStateException("interrupted while starting", e));
      } catch (RuntimeException e) {
        return new Startup(null, e);
      }
    }

    InteropSession session() {
      if (failure != null) {
        throw new IllegalStateException(
            "the interop session did not start: " + failure.getMessage(), failure);
      }
      return started;
    }

    @Override
    public void close() {
      if (started != null) {
        started.close();
      }
    }
  }
}
