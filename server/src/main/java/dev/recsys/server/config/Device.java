package dev.recsys.server.config;

import java.util.Locale;

/** Where scoring runs. */
public enum Device {
  /** The GPU when one is present, else the CPU. */
  AUTO,
  /** Java scoring on the CPU. */
  CPU,
  /** DJL scoring on the GPU with micro-batching; start-up fails when no GPU is present. */
  GPU;

  public static Device parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("device must be auto, cpu or gpu, got '" + text + "'");
    }
  }
}
