package dev.recsys.models.console;

import java.util.Locale;

/** Human-readable durations and byte counts. */
public final class Durations {

  private Durations() {}

  /** {@code 0.8s}, {@code 12.3s}, {@code 4m05s}, {@code 1h02m}. */
  public static String format(double seconds) {
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1fs", seconds);
    }
    long s = Math.round(seconds);
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  /** {@code 512 B}, {@code 1.5 MB} (powers of 1024). */
  public static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double value = bytes;
    int i = -1;
    while (value >= 1024 && i < units.length - 1) {
      value /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[i]);
  }
}
