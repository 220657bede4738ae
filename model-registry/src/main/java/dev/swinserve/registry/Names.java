package dev.swinserve.registry;

import java.util.Collection;
import java.util.List;

/**
 * Names as they appear in messages: a caller's name is quoted and cut short, a list of names is cut
 * after a few, so that an error reply stays small whatever a caller sends or sets.
 */
final class Names {

  /** Longest name shown whole in a message; longer ones are cut. */
  static final int SHOWN_LENGTH = 128;

  /** Most names listed in one message. */
  static final int SHOWN_COUNT = 20;

  private Names() {}

  /** {@code 'name'}, or its start and its length when it is longer than {@link #SHOWN_LENGTH}. */
  static String quoted(String name) {
    if (name.length() <= SHOWN_LENGTH) {
      return "'" + name + "'";
    }
    return "'" + name.substring(0, SHOWN_LENGTH) + "...' (" + name.length() + " characters)";
  }

  /** The first {@link #SHOWN_COUNT} names, comma-separated, then "..." if there are more. */
  static String list(Collection<String> names) {
    List<String> all = List.copyOf(names);
    String shown = String.join(", ", all.subList(0, Math.min(all.size(), SHOWN_COUNT)));
    return all.size() > SHOWN_COUNT ? shown + ", ... (" + all.size() + " in all)" : shown;
  }
}
