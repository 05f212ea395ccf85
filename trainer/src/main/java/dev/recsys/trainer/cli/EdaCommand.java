package dev.recsys.trainer.cli;

import dev.recsys.trainer.data.DatasetLocator;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.MovieLensLoader;
import dev.recsys.trainer.report.EdaReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recsys-trainer eda}: the exploratory report of a data set. */
@Command(name = "eda", mixinStandardHelpOptions = true,
    description = "Write an exploratory report (report.html with plots, summary.json) of a data set.")
public final class EdaCommand implements Callable<Integer> {

  @Option(names = "--data", required = true, description = "Data set name or folder/zip.")
  String data;

  @Option(names = "--out", required = true, description = "Folder for report.html, its plots and summary.json.")
  Path out;

  @Override
  public Integer call() throws IOException {
    MovieLensData d = MovieLensLoader.withConsoleReport().load(DatasetLocator.fromEnvironment().locate(data));
    EdaReport.write(d, out);
    System.out.println("report: " + out.resolve("report.html"));
    System.out.println("summary: " + out.resolve("summary.json"));
    return 0;
  }
}
