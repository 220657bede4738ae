package dev.swinserve.launcher.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** The image files a command line names: files as given, folders expanded to their images. */
final class ImageFiles {

  /** The extensions a folder is searched for, matching the formats the server decodes. */
  static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp");

  private ImageFiles() {}

  /**
   * Every file in {@code inputs}, in order, with each folder replaced by its image files sorted by
   * path ({@code recursive}: in subfolders too). A file named explicitly is kept whatever its
   * extension: the server, not the client, decides what it can decode.
   *
   * @throws IllegalArgumentException naming the first input that does not exist, or a folder
   *     without images
   */
  static List<Path> expand(List<Path> inputs, boolean recursive) {
    List<Path> files = new ArrayList<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        List<Path> images = imagesIn(input, recursive);
        if (images.isEmpty()) {
          throw new IllegalArgumentException(
              "no images ("
                  + String.join(", ", sorted(EXTENSIONS))
                  + ") in folder "
                  + input
                  + (recursive ? "" : " (--recursive searches subfolders)"));
        }
        files.addAll(images);
      } else if (Files.isRegularFile(input)) {
        files.add(input);
      } else {
        throw new IllegalArgumentException("no such file or folder: " + input);
      }
    }
    return files;
  }

  static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static List<Path> imagesIn(Path folder, boolean recursive) {
    try (Stream<Path> entries = recursive ? Files.walk(folder) : Files.list(folder)) {
      return entries
          .filter(Files::isRegularFile)
          .filter(ImageFiles::isImage)
          .sorted(Comparator.comparing(Path::toString))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }
}
