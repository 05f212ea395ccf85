package dev.recsys.client.cli;

import dev.recsys.client.connect.Connection;
import dev.recsys.client.shell.Shell;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;

/** {@code shell}: interactive "type a movie, get movies". */
@Command(name = "shell", mixinStandardHelpOptions = true,
    description = "Interactive shell: type a title for similar movies, 'user 42' for a user's picks, 'rate <title> <stars>' for your own.")
final class ShellCommand extends ApiCommand {

  @Override
  void run(Connection c) throws Exception {
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("recsys")
          .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".recsys_history")).build();
      PrintWriter out = terminal.writer();
      Shell shell = new Shell(c, out);
      out.println("recsys shell on " + connection.target + " - type a movie title, 'user 42', 'rate <title> <stars>', 'help' or 'quit'");
      while (true) {
        String line;
        try {
          line = reader.readLine("recsys> ");
        } catch (UserInterruptException e) {
          continue;
        } catch (EndOfFileException e) {
          break;
        }
        if (!shell.handle(line)) {
          break;
        }
      }
    }
  }
}
