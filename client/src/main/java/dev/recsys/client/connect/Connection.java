package dev.recsys.client.connect;

import dev.recsys.proto.v1.ModelAdminGrpc;
import dev.recsys.proto.v1.RecommenderGrpc;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** An open channel with ready stubs; each stub call gets the configured deadline. */
public final class Connection implements AutoCloseable {

  private final ManagedChannel channel;
  private final CallCredentials credentials;
  private final Duration deadline;

  public Connection(ManagedChannel channel, CallCredentials credentials, Duration deadline) {
    this.channel = channel;
    this.credentials = credentials;
    this.deadline = deadline;
  }

  public static Connection open(ConnectionOptions options) throws IOException {
    return new Connection(options.channel(), options.credentials(), options.deadline());
  }

  public ManagedChannel channel() {
    return channel;
  }

  public RecommenderGrpc.RecommenderBlockingStub recommender() {
    return RecommenderGrpc.newBlockingStub(channel).withCallCredentials(credentials).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  public RecommenderGrpc.RecommenderFutureStub recommenderAsync() {
    return RecommenderGrpc.newFutureStub(channel).withCallCredentials(credentials);
  }

  public ModelAdminGrpc.ModelAdminBlockingStub admin() {
    return ModelAdminGrpc.newBlockingStub(channel).withCallCredentials(credentials).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  public HealthGrpc.HealthBlockingStub health() {
    return HealthGrpc.newBlockingStub(channel).withCallCredentials(credentials).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  public CallCredentials credentials() {
    return credentials;
  }

  public Duration deadline() {
    return deadline;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
