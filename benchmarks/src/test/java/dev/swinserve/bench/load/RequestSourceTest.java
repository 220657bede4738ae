package dev.swinserve.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.primitives.Floats;
import com.google.protobuf.ByteString;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.Image;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.PixelTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestSourceTest {

  private static final ModelSpec TINY =
      ModelSpec.newBuilder().setName("tiny").setVersion(3).build();

  @TempDir Path temp;

  @Test
  void encodedRequestsCycleThroughTheFilesInOrderAcrossBatches() throws IOException {
    List<Path> files = List.of(write("a", 1), write("b", 2), write("c", 3));
    RequestSource source = RequestSource.of(LoadSpec.builder(TINY).images(files).batch(2).build());

    List<Integer> sizes =
        IntStream.range(0, 6)
            .mapToObj(i -> source.next())
            .flatMap(request -> request.getImagesList().stream())
            .map(image -> image.getEncoded().size())
            .toList();

    assertThat(sizes).containsExactly(1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3);
    assertThat(source.distinctRequests()).isEqualTo(3);
    assertThat(source.next().getModel()).isEqualTo(TINY);
  }

  @Test
  void requestIdIsSetOnlyWhenAsked() throws IOException {
    RequestSource source =
        RequestSource.of(LoadSpec.builder(TINY).images(List.of(write("a", 5))).build());

    assertThat(source.next().getRequestId()).isEmpty();
    ClassifyRequest identified = source.next("17");
    assertThat(identified.getRequestId()).isEqualTo("17");
    assertThat(identified.getImages(0).getEncoded()).isEqualTo(ByteString.copyFrom(new byte[5]));
  }

  @Test
  void pixelsAreOneSeededStandardNormalTensorRepeatedPerBatch() {
    LoadSpec spec =
        LoadSpec.builder(TINY).input(InputKind.PIXELS).pixelSize(16).batch(3).seed(9).build();

    ClassifyRequest request = RequestSource.of(spec).next();

    assertThat(request.getImagesList())
        .hasSize(3)
        .extracting(Image::getPixels)
        .allMatch(tensor -> tensor.equals(request.getImages(0).getPixels()));
    PixelTensor tensor = request.getImages(0).getPixels();
    assertThat(List.of(tensor.getHeight(), tensor.getWidth(), tensor.getChannels()))
        .containsExactly(16, 16, 3);
    assertThat(tensor.getValuesList()).hasSize(16 * 16 * 3);
    double mean =
        tensor.getValuesList().stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    assertThat(mean).as("standard normal values").isBetween(-0.2, 0.2);
    assertThat(RequestSource.of(spec).next()).as("same seed, same tensor").isEqualTo(request);
    assertThat(RequestSource.of(spec.toBuilder().seed(10).build()).next()).isNotEqualTo(request);
    assertThat(Floats.toArray(tensor.getValuesList()))
        .as("the values another tool is given")
        .containsExactly(PixelValues.standardNormal(9, 16));
  }

  private Path write(String name, int size) throws IOException {
    return Files.write(temp.resolve(name + ".png"), new byte[size]);
  }
}
