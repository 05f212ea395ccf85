package dev.recsys.models.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * Command-line plumbing shared by the tools: errors are printed as one line
 * ({@code error: <message>}) with exit code 1, never a stack trace unless {@code RECSYS_DEBUG} is
 * set; usage mistakes exit 2 with the usage; {@code --version} reads the build's version.
 */
public final class Cli {

  /** Exit code of a run that failed for a reason other than bad usage. */
  public static final int EXIT_FAILURE = 1;

  private Cli() {}

  /** Runs a picocli command with the shared error handling and returns the exit code. */
  public static int run(Object command, String... args) {
    CommandLine cli = new CommandLine(command);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          err.println("error: " + describe(e));
          if (System.getenv("RECSYS_DEBUG") != null) {
            e.printStackTrace(err);
          }
          err.flush();
          return EXIT_FAILURE;
        });
    return cli.execute(args);
  }

  /** A one-line description of a failure, with its cause when that adds information. */
  public static String describe(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      message += " (" + cause.getMessage() + ")";
    }
    return message;
  }

  /** Reads {@code recsys-app.properties} (name and version filtered in by the build). */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      Properties p = new Properties();
      try (InputStream in = Cli.class.getClassLoader().getResourceAsStream("recsys-app.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new String[] {
        p.getProperty("name", "recsys") + " " + p.getProperty("version", "unknown"),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
      };
    }
  }
}
