package dev.recsys.server.scoring;

import dev.recsys.models.scoring.DotScorer;
import dev.recsys.models.scoring.TopK;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The Java kernel in micro-batches: concurrent top-k requests are gathered (a {@link MicroBatcher})
 * and answered by one pass over the movie matrix for the whole batch ({@link
 * DotScorer#top(float[][], int, TopK.Filter[])}), so the bytes read from memory per request drop
 * by the batch size, where a pass per request is bound by memory bandwidth (large catalogues).
 * Whole score rows (the blend's) go through the same batcher, as with a device, but are each
 * computed alone (a row is written out whole either way). A batcher that stopped answers on the
 * calling thread. Answers equal {@link CpuScoring}'s.
 */
public final class CpuBatchedScoring implements EmbeddingScoring {

  /** @param k 0 for the whole row of scores */
  private record Request(float[] user, int k, TopK.Filter filter) {}

  /** The k best of a top-k request, or the whole row of a row request. */
  private record Answer(TopK.Result top, float[] row) {}

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CpuBatchedScoring.class);

  private final DotScorer scorer;
  private final MicroBatcher<Request, Answer> batcher;
  private final java.util.concurrent.atomic.AtomicBoolean warned = new java.util.concurrent.atomic.AtomicBoolean();

  /** @param threads starts the batcher's worker */
  public CpuBatchedScoring(DotScorer scorer, int batchSize, Duration maxDelay, int queueCapacity, ThreadStarter threads) {
    this.scorer = scorer;
    this.batcher = new MicroBatcher<>("scoring-batcher-cpu", batchSize, maxDelay, queueCapacity, CpuBatchedScoring.batch(scorer), () -> {},
        threads);
  }

  private static java.util.function.Function<List<Request>, List<Answer>> batch(DotScorer scorer) {
    return requests -> {
      Answer[] answers = new Answer[requests.size()];
      List<Integer> tops = new java.util.ArrayList<>();
      int k = 0;
      for (int i = 0; i < answers.length; i++) {
        Request r = requests.get(i);
        if (r.k() == 0) {
          float[] row = new float[scorer.items()];
          scorer.score(r.user(), row);
          answers[i] = new Answer(null, row);
        } else {
          tops.add(i);
          k = Math.max(k, r.k());
        }
      }
      float[][] users = new float[tops.size()][];
      TopK.Filter[] filters = new TopK.Filter[tops.size()];
      for (int j = 0; j < users.length; j++) {
        users[j] = requests.get(tops.get(j)).user();
        filters[j] = requests.get(tops.get(j)).filter();
      }
      TopK.Result[] results = users.length == 0 ? new TopK.Result[0] : scorer.top(users, k, filters);
      for (int j = 0; j < users.length; j++) {
        // A request asking fewer than the batch's largest k takes the head of its selection.
        int want = requests.get(tops.get(j)).k();
        TopK.Result r = results[j];
        answers[tops.get(j)] = new Answer(r.size() <= want ? r
            : new TopK.Result(java.util.Arrays.copyOf(r.indexes(), want), java.util.Arrays.copyOf(r.scores(), want)), null);
      }
      return List.of(answers);
    };
  }

  @Override
  public void score(float[] user, float[] out, long deadlineNanos) throws InterruptedException, TimeoutException {
    Answer answer = await(new Request(user, 0, null), deadlineNanos);
    if (answer == null) {
      scorer.score(user, out);
    } else {
      System.arraycopy(answer.row(), 0, out, 0, answer.row().length);
    }
  }

  @Override
  public TopK.Result top(float[] user, int k, TopK.Filter filter, java.util.function.Supplier<float[]> scratch, long deadlineNanos)
      throws InterruptedException, TimeoutException {
    if (k <= 0) {
      return new TopK.Result(new int[0], new float[0]);
    }
    Answer answer = await(new Request(user, k, filter), deadlineNanos);
    return answer == null ? scorer.top(user, k, filter) : answer.top();
  }

  /** The batch's answer, or null when the batcher stopped or the batch failed (the caller then computes it itself). */
  private Answer await(Request request, long deadlineNanos) throws InterruptedException, TimeoutException {
    try {
      return batcher.call(request, deadlineNanos);
    } catch (IllegalStateException | ExecutionException e) {
      if (!warned.getAndSet(true)) {
        LOG.warn("batched CPU scoring failed ({}); calls are scored one by one", dev.recsys.models.console.Messages.describe(
            e instanceof ExecutionException ee ? ee.getCause() : e));
      }
      return null;
    }
  }

  @Override
  public BatchCounts batchCounts() {
    return new BatchCounts(batcher.batches(), batcher.batchedRequests());
  }

  @Override
  public int items() {
    return scorer.items();
  }

  @Override
  public String device() {
    return "cpu (batched)";
  }

  @Override
  public void close() {
    batcher.close();
  }
}
