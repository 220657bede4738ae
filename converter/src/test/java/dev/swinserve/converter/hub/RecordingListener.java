package dev.swinserve.converter.hub;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link DownloadListener} that remembers the files it saw finish and the warnings. */
final class RecordingListener implements DownloadListener {

  private final List<String> finished = new CopyOnWriteArrayList<>();
  private final List<String> warnings = new CopyOnWriteArrayList<>();

  @Override
  public void finished(String file, long totalBytes) {
    finished.add(file);
  }

  @Override
  public void warning(String message) {
    warnings.add(message);
  }

  List<String> finished() {
    return List.copyOf(finished);
  }

  List<String> warnings() {
    return List.copyOf(warnings);
  }
}
