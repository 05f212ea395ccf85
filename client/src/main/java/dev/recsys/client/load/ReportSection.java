package dev.recsys.client.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Something observed beside the calls during a run (promotions, server memory) that the report shows. */
public interface ReportSection {

  /** Lines for the text report, ending with a newline; empty for nothing. */
  String text();

  /** Adds this section's figures to the JSON report. */
  void json(ObjectNode root);

  /** Writes this section's plots as {@code <dir>/<name>-<what>.png}; returns the files. */
  List<Path> plots(Path dir, String name) throws IOException;

  /** Whether the run broke a guarantee this section checks (the command then exits with 1). */
  default boolean failed() {
    return false;
  }
}
