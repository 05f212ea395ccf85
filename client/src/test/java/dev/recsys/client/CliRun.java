package dev.recsys.client;

import dev.recsys.client.cli.ClientCommand;
import dev.recsys.models.console.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** Runs the client's command line in this JVM and captures what it printed. */
record CliRun(int code, String out, String err) {

  /** {@code recsys-client <args> --target <target>}; one at a time, as it swaps System.out and System.err. */
  static synchronized CliRun run(String target, String... args) {
    PrintStream outBefore = System.out;
    PrintStream errBefore = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true));
      System.setErr(new PrintStream(err, true));
      String[] all = new String[args.length + 2];
      System.arraycopy(args, 0, all, 0, args.length);
      all[args.length] = "--target";
      all[args.length + 1] = target;
      int code = Cli.run(new ClientCommand(), all);
      return new CliRun(code, out.toString(), err.toString());
    } finally {
      System.setOut(outBefore);
      System.setErr(errBefore);
    }
  }
}
