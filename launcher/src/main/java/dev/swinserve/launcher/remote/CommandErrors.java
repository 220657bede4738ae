package dev.swinserve.launcher.remote;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Turns every failure of a command into one line on standard error and an exit code, the same way
 * for all commands: usage errors exit 2, failed calls and anything else exit 1.
 */
final class CommandErrors {

  static final int FAILED = 1;
  static final int USAGE = 2;

  private CommandErrors() {}

  /** Installs the handlers on {@code commandLine} and its subcommands; returns it. */
  static CommandLine install(CommandLine commandLine) {
    commandLine.setParameterExceptionHandler(
        (exception, arguments) -> {
          CommandLine failed = exception.getCommandLine();
          String name = failed.getCommandSpec().qualifiedName();
          failed.getErr().println(name + ": " + exception.getMessage());
          failed.getErr().println("Run 'swinserve " + name + " --help' for usage.");
          return USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (exception, failed, parseResult) -> {
          String target =
              failed.getCommand() instanceof RemoteCommand remote ? remote.target() : null;
          String message =
              exception instanceof StatusRuntimeException call
                  ? describe(call.getStatus(), target)
                  : describe(exception);
          failed.getErr().println(failed.getCommandSpec().qualifiedName() + " failed: " + message);
          return FAILED;
        });
    return commandLine;
  }

  /**
   * A usage error (exit 2) naming {@code option} unless {@code value} is at least {@code minimum}.
   */
  static void requireAtLeast(CommandSpec spec, String option, long value, long minimum) {
    if (value < minimum) {
      throw new ParameterException(
          spec.commandLine(), option + " must be at least " + minimum + ", was " + value);
    }
  }

  /**
   * {@code CODE: description}, with the transport's reason when there is one and a hint for the
   * usual causes ({@code target} may be null when unknown).
   */
  static String describe(Status status, String target) {
    StringBuilder line = new StringBuilder(status.getCode().name());
    if (status.getDescription() != null) {
      line.append(": ").append(status.getDescription());
    }
    if (status.getCause() != null && status.getCause().getMessage() != null) {
      line.append(": ").append(status.getCause().getMessage());
    }
    if (status.getCode() == Status.Code.UNAVAILABLE && target != null) {
      line.append(" (is the server running at ").append(target).append("?)");
    } else if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      line.append(" (a longer --deadline-ms may help)");
    }
    return line.toString();
  }

  private static String describe(Exception exception) {
    return exception.getMessage() != null ? exception.getMessage() : exception.toString();
  }
}
