import dev.recsys.models.console.Progress;
import dev.recsys.models.rating.FeatureSources;
import dev.recsys.models.rating.HybridFeatures;
import dev.recsys.trainer.data.Demographics;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.MovieLensLoader;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.rating.RatingPipeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.regression.RandomForest;

/**
 * Do user demographics (age, gender, occupation) help the rating forest? Answered on validation
 * data only, for a data set that has them (ml-100k's u.user).
 *
 * <p>For each chosen outer fold of {@code kfold:5} (seed 42, the folds docs/ report), only the
 * fold's training part T is read. T is cut into T' (80%) and V (20%). The pipeline is fitted on T'
 * (its fit part F and blend part B are the ones it cut), and once more on F alone for the models
 * that did not see B. Two forests learn on B with the same settings as the product's (100 trees,
 * a third of the features per split, depth 20, 2,000 leaves, 20 ratings a leaf): one on the
 * hybrid's features, one on those plus age, gender and occupation. Both are scored on V through
 * the models refitted on T', as the product's forest is served.
 *
 * <p>Run (after {@code ./mvnw -o -pl models,trainer install -DskipTests}):
 * {@code java --add-modules jdk.incubator.vector -cp trainer/target/recsys-trainer.jar
 * bench/experiments/DemographicFeatures.java ../shared/data/ml-100k.zip 0,1,2}
 */
public class DemographicFeatures {
  public static void main(String[] args) throws Exception {
    MovieLensData data = MovieLensLoader.quiet().load(Path.of(args[0]));
    Demographics people = data.demographics().orElseThrow(() -> new IllegalArgumentException(args[0] + " has no demographics"));
    Map<String, Integer> occupationCodes = new HashMap<>();
    List<Fold> outer = Splits.kfold(data.ratings(), 5, 42);
    RatingPipeline.Steps silent = (step, total) -> Progress.silent(step);
    RatingPipeline.Config config = RatingPipeline.Config.defaults(42);
    double[] sums = new double[2];
    String[] folds = args[1].split(",");
    for (String f : folds) {
      Fold split = Splits.holdout(outer.get(Integer.parseInt(f)).train(), 0.2, 42);
      RatingPipeline.Fitted onT = RatingPipeline.fit(data.catalog(), data.userIds(), split.train(), data.scale(), config, silent);
      RatingsTable fit = onT.fitAndBlend().train();
      RatingsTable blend = onT.fitAndBlend().test();
      RatingPipeline.Fitted onF = RatingPipeline.fit(data.catalog(), data.userIds(), fit, data.scale(), config, silent);
      StringBuilder line = new StringBuilder("outer fold " + f + ":");
      for (int arm = 0; arm < 2; arm++) {
        boolean withPeople = arm == 1;
        RandomForest forest = forest(rows(features(onF, data), blend, people, occupationCodes, withPeople));
        double[][] v = rows(features(onT, data), split.test(), people, occupationCodes, withPeople);
        double se = 0;
        DataFrame frame = frame(v);
        for (int r = 0; r < v.length; r++) {
          double prediction = Math.max(data.scale().min(), Math.min(data.scale().max(), forest.predict(frame.get(r))));
          double e = prediction - v[r][v[r].length - 1];
          se += e * e;
        }
        double rmse = Math.sqrt(se / v.length);
        sums[arm] += rmse;
        line.append(String.format(Locale.ROOT, "  %s %.4f", withPeople ? "hybrid+demographics" : "hybrid", rmse));
      }
      System.out.println(line);
    }
    System.out.printf(Locale.ROOT, "mean over %d folds: hybrid %.4f  hybrid+demographics %.4f%n", folds.length, sums[0] / folds.length,
        sums[1] / folds.length);
  }

  static HybridFeatures features(RatingPipeline.Fitted f, MovieLensData data) {
    return new HybridFeatures(new FeatureSources(f.mf().model(), f.baseline(), f.knn(), f.profiles(), data.catalog(),
        f.assignments().userSegments(), f.assignments().movieClusters(), f.segments().segmentation().implicit()));
  }

  static double[][] rows(HybridFeatures features, RatingsTable ratings, Demographics people, Map<String, Integer> codes, boolean withPeople) {
    int p = features.size() + (withPeople ? 3 : 0);
    double[][] rows = new double[ratings.size()][p + 1];
    for (int r = 0; r < ratings.size(); r++) {
      int u = ratings.user(r);
      features.fill(u, ratings.movie(r), rows[r]);
      if (withPeople) {
        int i = features.size();
        rows[r][i] = people.ages()[u];
        rows[r][i + 1] = people.genders()[u] == 'F' ? 1 : people.genders()[u] == 'M' ? 0 : -1;
        String job = people.occupations()[u];
        rows[r][i + 2] = job == null ? -1 : codes.computeIfAbsent(job, k -> codes.size());
      }
      rows[r][p] = ratings.rating(r);
    }
    return rows;
  }

  static DataFrame frame(double[][] rows) {
    int p = rows[0].length - 1;
    String[] names = new String[p + 1];
    for (int i = 0; i < p; i++) {
      names[i] = "x" + i;
    }
    names[p] = "rating";
    return DataFrame.of(rows, names);
  }

  static RandomForest forest(double[][] rows) {
    int p = rows[0].length - 1;
    SplittableRandom random = new SplittableRandom(42);
    long[] seeds = new long[100];
    for (int t = 0; t < seeds.length; t++) {
      seeds[t] = random.nextLong();
    }
    return RandomForest.fit(Formula.lhs("rating"), frame(rows), new RandomForest.Options(100, Math.max(1, p / 3), 20, 2000, 20, 1.0, seeds, null));
  }
}
