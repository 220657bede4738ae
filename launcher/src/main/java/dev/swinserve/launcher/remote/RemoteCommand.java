package dev.swinserve.launcher.remote;

/** A command that calls a server, so its failures can name the server it tried. */
interface RemoteCommand {

  /** The {@code HOST:PORT} the command calls. */
  String target();
}
