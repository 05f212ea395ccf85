package dev.recsys.trainer.cli;

import dev.recsys.models.console.TextTable;
import dev.recsys.trainer.data.DatasetLocator;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.MovieLensLoader;
import dev.recsys.trainer.ranking.ParamsFile;
import dev.recsys.trainer.ranking.RankingPipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code recsys-trainer tune}: searches each top-N model's space on a validation split of the data
 * (never a test split: tune has none) and writes the chosen settings for {@code train --params}.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
    description = "Search each top-N model's settings on a validation split carved from the data and save the chosen ones for train --params.")
public final class TuneCommand implements Callable<Integer> {

  @Option(names = "--data", defaultValue = "ml-latest-small", description = "Data set name or folder/zip (default: ${DEFAULT-VALUE}).")
  String data;

  @Option(names = "--out", required = true, description = "Where to write the chosen settings (JSON, the --params format).")
  Path out;

  @Mixin FitOptions fit;

  @Override
  public Integer call() throws IOException {
    RankingPipeline.Config config = fit.rankingConfig();
    MovieLensData d = MovieLensLoader.withConsoleReport().load(DatasetLocator.fromEnvironment().locate(data));
    RankingPipeline.Fitted f = RankingPipeline.fit(d.catalog(), d.ratings(), config, new ConsoleSteps("tune"));
    System.out.printf(Locale.ROOT, "%nsettings tried on the validation split (per-user:%s of %s), NDCG@10:%n", config.innerShare(), d.name());
    TextTable t = new TextTable("model", "setting", "val NDCG@10");
    f.tuning().forEach((model, tried) -> tried.forEach((setting, ndcg) -> t.row(model, setting, String.format(Locale.ROOT, "%.4f", ndcg))));
    System.out.print(t.render());
    f.skipped().forEach((model, why) -> System.out.println("skipped " + model + ": " + why));
    ParamsFile.write(out, f.chosen(), new ParamsFile.TunedOn(d.name(), d.sha256()));
    System.out.println("chosen: " + f.chosen() + "; best model on validation: " + f.selected());
    System.out.println("wrote " + out + " (use: train --params " + out + ")");
    return 0;
  }
}
