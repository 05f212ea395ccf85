package dev.recsys.trainer.evaluation;

import java.util.Locale;

/**
 * How ratings are split into training and held-out parts. Parsed from the command line:
 * {@code kfold:5}, {@code holdout:0.2}, {@code split:u1.base,u1.test}, {@code per-user:0.25},
 * {@code last:1}.
 */
public sealed interface Protocol {

  /** {@code k} folds of a seeded shuffle; every rating is held out exactly once. */
  record KFold(int k) implements Protocol {
    public KFold {
      if (k < 2 || k > 100) {
        throw new IllegalArgumentException("kfold needs 2 to 100 folds, got " + k);
      }
    }

    @Override
    public String toString() {
      return "kfold:" + k;
    }
  }

  /** A seeded random share of all ratings held out once. */
  record Holdout(double fraction) implements Protocol {
    public Holdout {
      requireFraction(fraction);
    }

    @Override
    public String toString() {
      return "holdout:" + fraction;
    }
  }

  /** The data set's own split files (e.g. ml-100k's {@code u1.base} and {@code u1.test}). */
  record SplitFiles(String baseFile, String testFile) implements Protocol {
    @Override
    public String toString() {
      return "split:" + baseFile + "," + testFile;
    }
  }

  /** For each user, a seeded random share of their ratings held out. */
  record PerUser(double fraction) implements Protocol {
    public PerUser {
      requireFraction(fraction);
    }

    @Override
    public String toString() {
      return "per-user:" + fraction;
    }
  }

  /** For each user, their {@code n} latest ratings (by timestamp) held out. */
  record Last(int n) implements Protocol {
    public Last {
      if (n < 1 || n > 100) {
        throw new IllegalArgumentException("last needs 1 to 100 ratings, got " + n);
      }
    }

    @Override
    public String toString() {
      return "last:" + n;
    }
  }

  private static void requireFraction(double f) {
    if (!(f > 0 && f < 1)) {
      throw new IllegalArgumentException("the held-out share must be in (0, 1), got " + f);
    }
  }

  /** Parses a protocol, with a message naming the accepted forms on error. */
  public static Protocol parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    int colon = t.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(usage(text));
    }
    String kind = t.substring(0, colon);
    String arg = text.strip().substring(colon + 1);
    try {
      return switch (kind) {
        case "kfold" -> new KFold(Integer.parseInt(arg));
        case "holdout" -> new Holdout(Double.parseDouble(arg));
        case "per-user" -> new PerUser(Double.parseDouble(arg));
        case "last" -> new Last(Integer.parseInt(arg));
        case "split" -> {
          String[] files = arg.split(",");
          if (files.length != 2 || files[0].isBlank() || files[1].isBlank()) {
            throw new IllegalArgumentException("split needs two file names: split:<base-file>,<test-file>");
          }
          yield new SplitFiles(files[0].strip(), files[1].strip());
        }
        default -> throw new IllegalArgumentException(usage(text));
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number in protocol '" + text + "'; " + usage(text));
    }
  }

  private static String usage(String text) {
    return "unknown protocol '" + text
        + "': use kfold:<k>, holdout:<share>, split:<base-file>,<test-file>, per-user:<share> or last:<n>";
  }
}
