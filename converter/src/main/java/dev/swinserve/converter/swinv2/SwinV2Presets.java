package dev.swinserve.converter.swinv2;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The architectures of the twelve SwinV2 classifiers Microsoft published on the Hugging Face hub,
 * named as there ({@code microsoft/<name>}). Their class names are not bundled: a preset built with
 * demo weights is labelled {@code class_0 .. class_N-1}, which is all random weights deserve.
 */
public final class SwinV2Presets {

  private static final int IMAGENET_1K = 1000;
  private static final int IMAGENET_22K = 21841;
  private static final int[] NO_PRETRAINED_WINDOWS = {0, 0, 0, 0};
  private static final int[] FINE_TUNED_FROM_12 = {12, 12, 12, 6};

  private static final Map<String, SwinV2Config> PRESETS = build();

  private SwinV2Presets() {}

  /** Preset names in a stable order: tiny, small, base, large. */
  public static List<String> names() {
    return List.copyOf(PRESETS.keySet());
  }

  public static Optional<SwinV2Config> find(String name) {
    return Optional.ofNullable(PRESETS.get(name));
  }

  /** The preset called {@code name}, or an error that lists the known names. */
  public static SwinV2Config get(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown preset '" + name + "'; known presets: " + String.join(", ", names())));
  }

  private static Map<String, SwinV2Config> build() {
    Map<String, SwinV2Config> presets = new LinkedHashMap<>();
    int[] shallow = {2, 2, 6, 2};
    int[] deep = {2, 2, 18, 2};
    int[] headsTiny = {3, 6, 12, 24};
    int[] headsBase = {4, 8, 16, 32};
    int[] headsLarge = {6, 12, 24, 48};
    for (int window : new int[] {8, 16}) {
      presets.put(
          "swinv2-tiny-patch4-window" + window + "-256",
          config(256, 96, shallow, headsTiny, window, NO_PRETRAINED_WINDOWS, IMAGENET_1K));
    }
    for (int window : new int[] {8, 16}) {
      presets.put(
          "swinv2-small-patch4-window" + window + "-256",
          config(256, 96, deep, headsTiny, window, NO_PRETRAINED_WINDOWS, IMAGENET_1K));
    }
    for (int window : new int[] {8, 16}) {
      presets.put(
          "swinv2-base-patch4-window" + window + "-256",
          config(256, 128, deep, headsBase, window, NO_PRETRAINED_WINDOWS, IMAGENET_1K));
    }
    addTwentyTwoK(presets, "base", 128, deep, headsBase);
    addTwentyTwoK(presets, "large", 192, deep, headsLarge);
    return Collections.unmodifiableMap(presets);
  }

  /** The ImageNet-22k model at 192 and its two ImageNet-1k fine-tunes at 256 and 384. */
  private static void addTwentyTwoK(
      Map<String, SwinV2Config> presets, String size, int embedDim, int[] depths, int[] heads) {
    String prefix = "swinv2-" + size + "-patch4-window12";
    presets.put(
        prefix + "-192-22k",
        config(192, embedDim, depths, heads, 12, NO_PRETRAINED_WINDOWS, IMAGENET_22K));
    presets.put(
        prefix + "to16-192to256-22kto1k-ft",
        config(256, embedDim, depths, heads, 16, FINE_TUNED_FROM_12, IMAGENET_1K));
    presets.put(
        prefix + "to24-192to384-22kto1k-ft",
        config(384, embedDim, depths, heads, 24, FINE_TUNED_FROM_12, IMAGENET_1K));
  }

  private static SwinV2Config config(
      int imageSize,
      int embedDim,
      int[] depths,
      int[] heads,
      int window,
      int[] pretrainedWindows,
      int classes) {
    List<String> labels = new ArrayList<>(classes);
    for (int i = 0; i < classes; i++) {
      labels.add("class_" + i);
    }
    return new SwinV2Config(
        imageSize, 4, embedDim, depths, heads, window, pretrainedWindows, 4.0, true, 1e-5, labels);
  }
}
