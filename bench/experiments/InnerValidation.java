import dev.recsys.models.console.Progress;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.MovieLensLoader;
import dev.recsys.trainer.evaluation.Fold;
import dev.recsys.trainer.evaluation.Protocol;
import dev.recsys.trainer.evaluation.RatingEvaluation;
import dev.recsys.trainer.evaluation.Splits;
import dev.recsys.trainer.rating.RatingPipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Compares rating-pipeline variants on validation data only, for design decisions that the
 * pipeline's own validation figures cannot settle (when two variants validate in different ways).
 *
 * <p>For each chosen outer fold of {@code kfold:5} (seed 42, the folds docs/ report), only that
 * fold's training part is used: it is cut again by {@code holdout:0.2}, each variant is fitted on
 * the inner 80% and scored on the inner 20%. The outer fold's held-out ratings are never read.
 *
 * <p>Run (after {@code ./mvnw -o -pl models,trainer install -DskipTests}):
 * {@code java --add-modules jdk.incubator.vector -cp trainer/target/recsys-trainer.jar
 * bench/experiments/InnerValidation.java <data folder> <outer folds, e.g. 0,1> <variant>...}
 * where a variant is one or more of (joined by {@code +}) {@code mf:<dim>,<l2>,<learning rate>,<AUTO|ADAM|ALS>} or
 * {@code forest:<max leaves>,<leaf size>}.
 */
public class InnerValidation {
  public static void main(String[] args) throws Exception {
    MovieLensData data = MovieLensLoader.quiet().load(Path.of(args[0]));
    List<Fold> outer = Splits.kfold(data.ratings(), 5, 42);
    RatingPipeline.Steps silent = (step, total) -> Progress.silent(step);
    for (String f : args[1].split(",")) {
      Fold fold = outer.get(Integer.parseInt(f));
      MovieLensData inner = data.withRatings(fold.train());
      for (int v = 2; v < args.length; v++) {
        RatingPipeline.Config config = RatingPipeline.Config.defaults(42);
        for (String part : args[v].split("\\+")) {
          config = variant(config, part);
        }
        long t = System.nanoTime();
        RatingEvaluation.Report r = RatingEvaluation.run(inner, Protocol.parse("holdout:0.2"), 42, config, data.scale(), null, silent,
            (x, y) -> {});
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "outer fold %s  %-10s", f, args[v]));
        r.models().forEach((name, s) -> line.append(String.format(Locale.ROOT, "  %s %.4f", name, s.rmse())));
        line.append(String.format(Locale.ROOT, "  (%.0f s)", (System.nanoTime() - t) / 1e9));
        System.out.println(line);
      }
    }
  }

  static RatingPipeline.Config variant(RatingPipeline.Config c, String v) {
    String[] kv = v.split(":");
    return switch (kv[0]) {
      case "mf" -> {
        // mf:<dim>,<l2>,<learning rate>,<solver>
        String[] a = kv[1].split(",");
        dev.recsys.trainer.mf.MfConfig m = c.mf();
        yield c.withMf(new dev.recsys.trainer.mf.MfConfig(Integer.parseInt(a[0]), Float.parseFloat(a[2]), Float.parseFloat(a[1]), m.biasL2(),
            m.batchSize(), m.maxEpochs(), m.patience(), m.initStd(), m.seed(), dev.recsys.trainer.mf.MfConfig.Solver.valueOf(a[3])));
      }
      case "forest" -> {
        // forest:<max nodes>,<node size>
        String[] a = kv[1].split(",");
        var f = c.forest();
        yield c.withForest(new dev.recsys.trainer.rating.ForestFitter.Config(f.trees(), f.maxDepth(), Integer.parseInt(a[0]),
            Integer.parseInt(a[1]), f.subsample(), f.seed(), f.maxRows()));
      }
      default -> throw new IllegalArgumentException("unknown variant " + v);
    };
  }
}
