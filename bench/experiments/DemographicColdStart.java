import dev.recsys.trainer.data.Demographics;
import dev.recsys.trainer.data.MovieLensData;
import dev.recsys.trainer.data.MovieLensLoader;
import dev.recsys.trainer.data.RatingsTable;
import dev.recsys.trainer.evaluation.Bootstrap;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * Does knowing a new user's age, gender or occupation beat plain popularity for their first list,
 * before they rate anything? Answered on validation users only (ml-100k's u.user).
 *
 * <p>The cold-start evaluation ({@code evaluate --task cold-start}, seed 42) holds out a tenth of
 * the users; those users are skipped here. Of the rest, a seeded tenth (seed 43) play the new
 * users; every movie they rated is relevant, and NDCG@10 is computed over the others' ratings.
 * Candidates: popularity (share of users who rated the movie) and, per grouping, the popularity
 * within the new user's group shrunk towards the overall popularity by {@code m} pseudo-users:
 * {@code (count_in_group + m * share) / (group_size + m)}. Paired bootstrap 95% intervals over users.
 *
 * <p>Run (after {@code ./mvnw -o -pl models,trainer install -DskipTests}):
 * {@code java -cp trainer/target/recsys-trainer.jar bench/experiments/DemographicColdStart.java ../shared/data/ml-100k.zip}
 */
public class DemographicColdStart {
  /** Share of the non-test users who play the new users (the others are the known users). */
  static final double SHARE = 0.3;

  public static void main(String[] args) throws Exception {
    MovieLensData data = MovieLensLoader.quiet().load(Path.of(args[0]));
    Demographics people = data.demographics().orElseThrow(() -> new IllegalArgumentException(args[0] + " has no demographics"));
    RatingsTable all = data.ratings();
    int users = all.numUsers();
    SplittableRandom testDraw = new SplittableRandom(42);
    boolean[] test = new boolean[users];
    for (int u = 0; u < users; u++) {
      test[u] = testDraw.nextDouble() < 0.1; // the same draw as ColdStartEvaluation: never read below
    }
    SplittableRandom validationDraw = new SplittableRandom(Long.parseLong(args.length > 1 ? args[1] : "43"));
    boolean[] fresh = new boolean[users];
    for (int u = 0; u < users; u++) {
      fresh[u] = !test[u] && validationDraw.nextDouble() < SHARE;
    }
    IntUnaryOperator ageGender = u -> (people.genders()[u] == 'F' ? 0 : 1) * 4 + bucket(people.ages()[u]);
    String[] jobs = Arrays.stream(people.occupations()).distinct().sorted(java.util.Comparator.nullsFirst(String::compareTo)).toArray(String[]::new);
    IntUnaryOperator occupation = u -> Arrays.binarySearch(jobs, people.occupations()[u], java.util.Comparator.nullsFirst(String::compareTo));
    IntUnaryOperator all3 = u -> ageGender.applyAsInt(u) * jobs.length + occupation.applyAsInt(u);
    double[] popularity = ndcg(all, test, fresh, u -> 0, 1, 0);
    System.out.printf(Locale.ROOT, "validation users: %d; popularity NDCG@10 %.4f%n", popularity.length, mean(popularity));
    String[] names = {"gender x age", "occupation", "gender x age x occupation"};
    IntUnaryOperator[] groupings = {ageGender, occupation, all3};
    int[] sizes = {8, jobs.length, 8 * jobs.length};
    for (int g = 0; g < groupings.length; g++) {
      for (double m : new double[] {0, 10, 50, 200}) {
        double[] grouped = ndcg(all, test, fresh, groupings[g], sizes[g], m);
        Bootstrap.Difference d = Bootstrap.paired(grouped, popularity, 42);
        System.out.printf(Locale.ROOT, "%-26s m=%-4.0f NDCG@10 %.4f  vs popularity %+.4f [%+.4f, %+.4f] %s%n", names[g], m, mean(grouped),
            d.mean(), d.low(), d.high(), d.verdict());
      }
    }
  }

  static int bucket(int age) {
    return age < 25 ? 0 : age < 35 ? 1 : age < 45 ? 2 : 3;
  }

  /** NDCG@10 of each new user under group popularity (m pseudo-users of overall popularity). */
  static double[] ndcg(RatingsTable all, boolean[] test, boolean[] fresh, IntUnaryOperator group, int groups, double m) {
    int movies = all.numMovies();
    double[] count = new double[movies];
    double[][] groupCount = new double[groups][movies];
    double[] groupSize = new double[groups];
    int known = 0;
    for (int u = 0; u < all.numUsers(); u++) {
      if (test[u] || fresh[u] || all.userCount(u) == 0) {
        continue;
      }
      known++;
      int g = group.applyAsInt(u);
      groupSize[g]++;
      for (int r = all.userStart(u); r < all.userEnd(u); r++) {
        count[all.movie(r)]++;
        groupCount[g][all.movie(r)]++;
      }
    }
    java.util.List<Double> out = new java.util.ArrayList<>();
    for (int u = 0; u < all.numUsers(); u++) {
      if (!fresh[u] || all.userCount(u) == 0) {
        continue;
      }
      int g = group.applyAsInt(u);
      double[] score = new double[movies];
      for (int i = 0; i < movies; i++) {
        double share = count[i] / known;
        score[i] = (groupCount[g][i] + m * share) / Math.max(1e-9, groupSize[g] + m) + 1e-12 * share;
      }
      Integer[] order = new Integer[movies];
      for (int i = 0; i < movies; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
      boolean[] relevant = new boolean[movies];
      for (int r = all.userStart(u); r < all.userEnd(u); r++) {
        relevant[all.movie(r)] = true;
      }
      double dcg = 0;
      double ideal = 0;
      for (int k = 0; k < 10; k++) {
        if (relevant[order[k]]) {
          dcg += 1 / (Math.log(k + 2) / Math.log(2));
        }
        if (k < all.userCount(u)) {
          ideal += 1 / (Math.log(k + 2) / Math.log(2));
        }
      }
      out.add(dcg / ideal);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }
}
