package dev.swinserve.bench.load.plot;

import java.util.Locale;

/** Draws SVG elements into a string: a chart that a browser shows without anything else. */
final class SvgCanvas implements Canvas {

  private final int width;
  private final int height;
  private final StringBuilder body = new StringBuilder();

  SvgCanvas(int width, int height) {
    this.width = width;
    this.height = height;
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, String color, double strokeWidth) {
    body.append(
        format(
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"/>%n",
            x1, y1, x2, y2, color, strokeWidth));
  }

  @Override
  public void polyline(double[] xs, double[] ys, String color, double strokeWidth) {
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < xs.length; i++) {
      points.append(i == 0 ? "" : " ").append(format("%.1f,%.1f", xs[i], ys[i]));
    }
    body.append(
        format(
            "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" "
                + "stroke-linejoin=\"round\"/>%n",
            points, color, strokeWidth));
  }

  @Override
  public void dot(double x, double y, double radius, String color) {
    body.append(
        format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>%n", x, y, radius, color));
  }

  @Override
  public void text(double x, double y, String text, Anchor anchor, int size, String color) {
    body.append(
        format(
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" fill=\"%s\">%s</text>%n",
            x,
            y,
            anchor == Anchor.START ? "start" : anchor == Anchor.MIDDLE ? "middle" : "end",
            size,
            color,
            escape(text)));
  }

  /** The {@code <svg>} element holding everything drawn, on a white background. */
  String toSvg() {
    return format(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>%n",
            width, height, width, height)
        + body
        + "</svg>";
  }

  /** {@code text} safe inside an XML element or attribute. */
  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String format(String pattern, Object... values) {
    // Locale.ROOT: a decimal comma would break every coordinate.
    return String.format(Locale.ROOT, pattern, values);
  }
}
