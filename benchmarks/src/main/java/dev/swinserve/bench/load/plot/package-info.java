/**
 * Charts of a load run's timeline, as PNG (Java2D) or as HTML with inline SVG, drawn from one
 * layout through a small canvas interface; no charting library.
 */
package dev.swinserve.bench.load.plot;
