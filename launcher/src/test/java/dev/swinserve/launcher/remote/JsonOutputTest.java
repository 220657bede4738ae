package dev.swinserve.launcher.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.swinserve.api.v1.ClassScore;
import dev.swinserve.api.v1.Classification;
import dev.swinserve.api.v1.ResolvedModel;
import io.grpc.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JsonOutputTest {

  private final StringWriter written = new StringWriter();
  private final JsonOutput output = new JsonOutput(new PrintWriter(written));

  @Test
  void resultIsOneObjectWithRankedClasses() {
    output.result(
        Path.of("cats", "chelsea.png"),
        ResolvedModel.newBuilder().setName("tiny").setVersion(2).build(),
        Classification.newBuilder()
            .addClasses(
                ClassScore.newBuilder().setIndex(281).setLabel("tabby, tabby cat").setScore(0.75f))
            .addClasses(
                ClassScore.newBuilder().setIndex(282).setLabel("tiger cat").setScore(0.125f))
            .build());

    assertThat(written.toString())
        .isEqualTo(
            "{\"image\":\""
                + Path.of("cats", "chelsea.png")
                + "\",\"model\":\"tiny\","
                + "\"version\":2,\"classes\":[{\"rank\":1,\"index\":281,\"label\":\"tabby, tabby cat\",\"score\":0.75},"
                + "{\"rank\":2,\"index\":282,\"label\":\"tiger cat\",\"score\":0.125}]}"
                + System.lineSeparator());
  }

  @Test
  void failureIsOneObjectWithCodeAndMessage() {
    output.failure(
        Path.of("bad.png"), Status.INVALID_ARGUMENT.withDescription("cannot decode image"));

    assertThat(written.toString())
        .isEqualTo(
            "{\"image\":\"bad.png\",\"error\":{\"code\":\"INVALID_ARGUMENT\","
                + "\"message\":\"cannot decode image\"}}"
                + System.lineSeparator());
  }

  @Test
  void quoteEscapesWhatJsonRequires() {
    assertThat(dev.swinserve.bench.load.JsonWriter.quote("a\"b\\c\nd\te\u0001é"))
        .isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001é\"");
  }
}
