package dev.swinserve.launcher.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {

  @TempDir Path temp;

  @Test
  void folderExpandsToItsImagesSortedSkippingOtherFilesAndSubfolders() throws IOException {
    Path folder = files("b.png", "a.JPG", "c.gif", "d.bmp", "e.jpeg", "notes.txt", "nested/f.png");

    assertThat(ImageFiles.expand(List.of(folder), false))
        .containsExactly(
            folder.resolve("a.JPG"),
            folder.resolve("b.png"),
            folder.resolve("c.gif"),
            folder.resolve("d.bmp"),
            folder.resolve("e.jpeg"));
  }

  @Test
  void recursiveAlsoExpandsSubfolders() throws IOException {
    Path folder = files("b.png", "nested/a.png", "nested/deeper/c.jpg");

    assertThat(ImageFiles.expand(List.of(folder), true))
        .containsExactly(
            folder.resolve("b.png"),
            folder.resolve("nested/a.png"),
            folder.resolve("nested/deeper/c.jpg"));
  }

  @Test
  void filesNamedExplicitlyAreKeptInOrderWhateverTheirExtension() throws IOException {
    Path folder = files("z.png", "scan.tiff", "y.png");

    assertThat(
            ImageFiles.expand(
                List.of(
                    folder.resolve("z.png"), folder.resolve("scan.tiff"), folder.resolve("y.png")),
                false))
        .containsExactly(
            folder.resolve("z.png"), folder.resolve("scan.tiff"), folder.resolve("y.png"));
  }

  @Test
  void missingInputIsNamed() {
    assertThatThrownBy(() -> ImageFiles.expand(List.of(temp.resolve("gone.png")), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no such file or folder: " + temp.resolve("gone.png"));
  }

  @Test
  void folderWithoutImagesIsAnError() throws IOException {
    Path folder = files("notes.txt", "nested/a.png");

    assertThatThrownBy(() -> ImageFiles.expand(List.of(folder), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no images")
        .hasMessageContaining("--recursive");
  }

  private Path files(String... names) throws IOException {
    Path folder = temp.resolve("images");
    for (String name : names) {
      Path file = folder.resolve(name);
      Files.createDirectories(file.getParent());
      Files.write(file, new byte[] {1});
    }
    return folder;
  }
}
