package dev.swinserve.launcher.remote;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** One execution of a command with its exit code and what it printed. */
record CommandRun(int exitCode, String out, String err) {

  static CommandRun execute(CommandLine command, String... arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exitCode = command.execute(arguments);
    return new CommandRun(exitCode, out.toString(), err.toString());
  }

  List<String> outLines() {
    return out.lines().toList();
  }

  /** The one output line that mentions {@code text}, failing when there is none or several. */
  String outLineWith(String text) {
    List<String> lines = outLines().stream().filter(line -> line.contains(text)).toList();
    if (lines.size() != 1) {
      throw new AssertionError(
          "expected one line with '" + text + "', found " + lines.size() + " in:\n" + out);
    }
    return lines.get(0);
  }

  /** The output line right after the one that mentions {@code text}. */
  String outLineAfter(String text) {
    List<String> lines = outLines();
    return lines.get(lines.indexOf(outLineWith(text)) + 1);
  }
}
