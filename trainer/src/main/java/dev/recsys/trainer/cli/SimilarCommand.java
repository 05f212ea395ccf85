package dev.recsys.trainer.cli;

import dev.recsys.models.bundle.ModelBundle;
import dev.recsys.models.catalog.Catalog;
import dev.recsys.models.catalog.TitleIndex;
import dev.recsys.models.console.TextTable;
import dev.recsys.models.neighbors.ItemNeighbors;
import dev.recsys.models.registry.Alias;
import dev.recsys.models.registry.ModelRegistry;
import dev.recsys.models.registry.RegistryException;
import dev.recsys.models.registry.VersionCheck;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code recsys-trainer similar}: inspect a published version's similar-movies table offline. */
@Command(name = "similar", mixinStandardHelpOptions = true,
    description = "Show the most similar movies to titles, from a published version (to judge the table by eye).")
public final class SimilarCommand implements Callable<Integer> {

  @Mixin RegistryOptions registry;

  @Option(names = "--version", description = "Version (default: the production alias, else the newest valid version).")
  Long version;

  @Option(names = "--k", defaultValue = "10", description = "Similar movies per title (default: ${DEFAULT-VALUE}).")
  int k;

  @Parameters(arity = "1..*", description = "Titles, e.g. \"Toy Story\" \"The Matrix\".")
  List<String> titles;

  @Override
  public Integer call() throws IOException {
    ModelRegistry r = registry.open();
    Optional<Long> chosen = version != null ? Optional.of(version) : r.alias(registry.name, Alias.PRODUCTION).map(Alias::version);
    if (chosen.isEmpty()) {
      chosen = r.latestValid(registry.name).map(VersionCheck::version);
    }
    if (chosen.isEmpty()) {
      throw new RegistryException(RegistryException.Kind.NOT_FOUND, "no loadable version of " + registry.name + " in " + r.root()
          + " (no production alias and no valid version; --name names the model, --registry the folder)");
    }
    long v = chosen.get();
    VersionCheck check = r.verify(registry.name, v);
    if (!check.valid()) {
      throw new RegistryException(RegistryException.Kind.NOT_FOUND, "no loadable version of " + registry.name + ": " + check.problem());
    }
    ModelBundle bundle = ModelBundle.load(check.dir(), check.manifest(), true);
    Catalog catalog = bundle.catalog();
    ItemNeighbors similar = bundle.similar();
    System.out.printf(Locale.ROOT, "%s version %d, similar movies by %s%n", registry.name, v, bundle.spec().similarity());
    var judged = dev.recsys.trainer.judge.SimilarityJudge.judge(catalog, similar, bundle.popularity(), k);
    System.out.printf(Locale.ROOT, "judge over the whole table: franchise hit rate@%d %.3f (recall %.3f, %d franchise movies in %d groups), "
            + "genre coherence %.3f, popularity bias %+.2f (median %+.2f)%n", k, judged.franchiseHitRate(), judged.franchiseRecall(),
        judged.franchiseMovies(), judged.franchiseGroups(), judged.genreCoherence(), judged.popularityBiasMean(), judged.popularityBiasMedian());
    for (String title : titles) {
      List<TitleIndex.Match> matches = bundle.titles().search(title, 5);
      System.out.println();
      if (matches.isEmpty()) {
        System.out.println("\"" + title + "\": no movie matches");
        continue;
      }
      int movie = matches.getFirst().movie();
      System.out.printf(Locale.ROOT, "\"%s\" -> %s [%s] (%,d ratings)%n", title, catalog.displayTitle(movie),
          String.join("|", catalog.genresOf(movie)), bundle.popularity()[movie]);
      TextTable t = new TextTable("#", "similar movie", "genres", "similarity", "ratings");
      for (int n = similar.start(movie), rank = 1; n < similar.end(movie) && rank <= k; n++, rank++) {
        int other = similar.neighbor(n);
        t.row(rank, catalog.displayTitle(other), String.join("|", catalog.genresOf(other)),
            String.format(Locale.ROOT, "%.3f", similar.similarity(n)), bundle.popularity()[other]);
      }
      System.out.print(t.render());
    }
    return 0;
  }
}
