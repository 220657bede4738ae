package dev.swinserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public API under buf (pinned, from npm): {@code buf.sh lint} is clean and {@code buf.sh
 * breaking} finds nothing against the released API; and, on a copy with a change made, each check
 * fails and names what changed, so a pass means something.
 */
class ApiCheckTest {

  private static final Path MODULE = Path.of("").toAbsolutePath();

  @Test
  void theApiIsLintCleanAndCompatibleWithTheReleasedOne() throws Exception {
    Run lint = buf(MODULE, "lint");
    assertThat(lint.code).as(lint.output).isZero();
    Run breaking = buf(MODULE, "breaking");
    assertThat(breaking.code).as(breaking.output).isZero();
  }

  @Test
  void aRenumberedFieldIsABreakingChange(@TempDir Path copy) throws Exception {
    buf(MODULE, "lint"); // installs buf on a fresh clone before the copy links to it
    copyModule(copy);
    Path classifier = copy.resolve("src/main/proto/swinserve/v1/classifier.proto");
    replace(classifier, "int32 top_k = 3;", "int32 top_k = 13;");

    Run run = buf(copy, "breaking");

    assertThat(run.code).isNotZero();
    assertThat(run.output).contains("top_k").contains("ClassifyRequest");
  }

  @Test
  void aFieldNamedAgainstTheStyleFailsTheLint(@TempDir Path copy) throws Exception {
    buf(MODULE, "lint");
    copyModule(copy);
    Path classifier = copy.resolve("src/main/proto/swinserve/v1/classifier.proto");
    replace(classifier, "int32 top_k = 3;", "int32 topK = 3;");

    Run run = buf(copy, "lint");

    assertThat(run.code).isNotZero();
    assertThat(run.output).contains("topK");
  }

  private record Run(int code, String output) {}

  private static Run buf(Path module, String check) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(module.resolve("buf.sh").toString(), check)
            .directory(module.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("buf.sh " + check + " did not end within 5 minutes: " + output);
    }
    return new Run(process.exitValue(), output);
  }

  /** What buf.sh reads, copied; the installed tools linked, not installed again. */
  private static void copyModule(Path copy) throws IOException {
    for (String file : List.of("buf.sh", "buf.yaml", "released/swinserve-v1.json")) {
      Files.createDirectories(copy.resolve(file).getParent());
      Files.copy(MODULE.resolve(file), copy.resolve(file));
    }
    copy.resolve("buf.sh").toFile().setExecutable(true);
    Files.createSymbolicLink(copy.resolve("buf"), MODULE.resolve("buf"));
    Path protos = MODULE.resolve("src/main/proto");
    try (Stream<Path> files = Files.walk(protos)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = copy.resolve("src/main/proto").resolve(protos.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
  }

  private static void replace(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
  }
}
