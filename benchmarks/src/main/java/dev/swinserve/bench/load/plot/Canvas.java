package dev.swinserve.bench.load.plot;

/**
 * What a chart draws on, in pixels from the top left, so that one layout renders to PNG and to SVG
 * alike. Colors are {@code #rrggbb}.
 */
interface Canvas {

  /** Where a text's anchor point lies along its baseline. */
  enum Anchor {
    START,
    MIDDLE,
    END
  }

  void line(double x1, double y1, double x2, double y2, String color, double width);

  /** A connected line through the points; {@code xs} and {@code ys} have the same length. */
  void polyline(double[] xs, double[] ys, String color, double width);

  /** A filled circle, to mark a lone point that no line passes through. */
  void dot(double x, double y, double radius, String color);

  void text(double x, double y, String text, Anchor anchor, int size, String color);
}
