package dev.recsys.server.serving;

import dev.recsys.models.console.Messages;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the threads that load versions, each at a Linux nice value of its own (19: the lowest CPU
 * priority). A version loading beside live traffic then takes the CPU that serving leaves idle
 * instead of queueing calls behind it (the promotion spike on a busy machine); the load takes
 * longer in exchange. Lowering one's own priority needs no privilege. Elsewhere than Linux (where a
 * thread id is not a process id to {@code setpriority}), or where the call fails, threads run at
 * normal priority and the reason is logged once.
 */
final class LoaderThreads implements ThreadFactory {

  private static final Logger LOG = LoggerFactory.getLogger(LoaderThreads.class);
  private static final int PRIO_PROCESS = 0;
  /** Linux x86-64 and aarch64 numbers for gettid, used when the C library lacks the wrapper (glibc before 2.30). */
  private static final long SYS_GETTID = "aarch64".equals(System.getProperty("os.arch")) ? 178 : 186;

  private final int nice;
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicBoolean reported = new AtomicBoolean();

  /** @param nice 0 (normal priority: nothing changed) to 19 (lowest) */
  LoaderThreads(int nice) {
    if (nice < 0 || nice > 19) {
      throw new IllegalArgumentException("load nice must be in [0, 19], got " + nice);
    }
    this.nice = nice;
  }

  @Override
  public Thread newThread(Runnable task) {
    return Thread.ofPlatform().name("version-loader-" + count.getAndIncrement()).daemon().unstarted(() -> {
      if (nice > 0) {
        String failure = lowerCurrentThread(nice);
        if (!reported.getAndSet(true)) {
          if (failure == null) {
            LOG.info("versions load at nice {} (serving threads win the CPU)", nice);
          } else {
            LOG.warn("versions load at normal priority: {}", failure);
          }
        }
      }
      task.run();
    });
  }

  /** Sets the calling thread's nice value; the reason it could not, or null. */
  static String lowerCurrentThread(int nice) {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
      return "thread priorities are only set on Linux (this is " + System.getProperty("os.name") + ")";
    }
    try {
      Linker linker = Linker.nativeLinker();
      var libc = linker.defaultLookup();
      int tid;
      var gettid = libc.find("gettid");
      if (gettid.isPresent()) {
        tid = (int) linker.downcallHandle(gettid.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT)).invokeExact();
      } else {
        MethodHandle syscall = linker.downcallHandle(libc.find("syscall").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));
        tid = (int) (long) syscall.invokeExact(SYS_GETTID);
      }
      MethodHandle setpriority = linker.downcallHandle(libc.find("setpriority").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
      int rc = (int) setpriority.invokeExact(PRIO_PROCESS, tid, nice);
      return rc == 0 ? null : "setpriority(" + tid + ", " + nice + ") returned " + rc;
    } catch (Throwable e) {
      // Native access refused (--enable-native-access), a missing symbol: never a reason to stop a load.
      return "setting the loader's priority failed: " + Messages.describe(e);
    }
  }
}
