package dev.swinserve.converter.hub;

/** One file of a hub repository at one revision (a branch, tag, {@code refs/pr/N} or commit). */
record RemoteFile(String repository, String revision, String name) {

  @Override
  public String toString() {
    return name + " of '" + repository + "' at revision '" + revision + "'";
  }
}
