package dev.recsys.models.torchscript;

/**
 * Process-wide settings of DJL and libtorch, applied before DJL loads. Explicit system properties
 * and environment variables win over these defaults.
 */
public final class NativeSettings {

  private NativeSettings() {}

  public static void apply() {
    // The native library ships in the pytorch-native-cpu jar: never try to download one.
    setIfAbsent("ai.djl.offline", "true");
    // libtorch's OpenMP pool spins on idle cores; on small machines that steals the CPU from the
    // Java side of training. One intra-op thread per training process is the measured sweet spot for
    // the small matrices of MovieLens models.
    String threads = System.getenv().getOrDefault("RECSYS_TORCH_THREADS", "1");
    setIfAbsent("ai.djl.pytorch.num_threads", threads);
    setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    setIfAbsent("ai.djl.default_engine", "PyTorch");
    // Keep DJL and Smile from logging every step at INFO.
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
