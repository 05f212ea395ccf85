package dev.recsys.client.load;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Weighted choice of operations, parsed from {@code recommend=80,predict=15,similar=5}. */
public final class RequestMix {

  /** Largest weight of one operation: weights are relative, and six of these sum well inside an int. */
  static final int MAX_WEIGHT = 1_000_000;

  private final Operation[] operations;
  private final double[] cumulative;
  private final Map<Operation, Integer> weights;

  private RequestMix(Map<Operation, Integer> weights) {
    this.weights = weights;
    List<Operation> ops = new ArrayList<>();
    List<Double> cum = new ArrayList<>();
    double total = weights.values().stream().mapToInt(Integer::intValue).sum();
    double running = 0;
    for (var e : weights.entrySet()) {
      running += e.getValue() / total;
      ops.add(e.getKey());
      cum.add(running);
    }
    this.operations = ops.toArray(Operation[]::new);
    this.cumulative = cum.stream().mapToDouble(Double::doubleValue).toArray();
  }

  public static RequestMix parse(String text) {
    Map<Operation, Integer> weights = new EnumMap<>(Operation.class);
    java.util.Set<Operation> named = java.util.EnumSet.noneOf(Operation.class);
    for (String part : text.split(",")) {
      String[] kv = part.split("=");
      if (kv.length != 2) {
        throw new IllegalArgumentException("mix entries are <operation>=<weight>, got '" + part + "'");
      }
      int w;
      try {
        w = Integer.parseInt(kv[1].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("weight of '" + kv[0] + "' is not an integer: '" + kv[1] + "'");
      }
      if (w < 0 || w > MAX_WEIGHT) {
        throw new IllegalArgumentException("weight of '" + kv[0] + "' must be in [0, " + MAX_WEIGHT + "] (weights are relative), got " + w);
      }
      Operation op = Operation.parse(kv[0]);
      if (!named.add(op)) {
        throw new IllegalArgumentException("'" + kv[0].strip() + "' is given a weight twice in the mix '" + text + "'");
      }
      if (w > 0) {
        weights.put(op, w);
      }
    }
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("the mix '" + text + "' has no operation with a positive weight");
    }
    return new RequestMix(weights);
  }

  public Operation next(SplittableRandom random) {
    double x = random.nextDouble();
    for (int i = 0; i < cumulative.length; i++) {
      if (x < cumulative[i]) {
        return operations[i];
      }
    }
    return operations[operations.length - 1];
  }

  public Map<Operation, Integer> weights() {
    return weights;
  }
}
