package dev.recsys.trainer.data;

import java.util.Arrays;

/** Parsed rating rows with raw ids, before cleaning and indexing; grows by half its size. */
final class RawRatings {

  int size;
  long[] users;
  long[] movies;
  float[] ratings;
  int[] timestamps;

  RawRatings(int expected) {
    int capacity = Math.max(1024, expected);
    users = new long[capacity];
    movies = new long[capacity];
    ratings = new float[capacity];
    timestamps = new int[capacity];
  }

  void add(long user, long movie, float rating, int timestamp) {
    if (size == users.length) {
      int capacity = users.length + (users.length >> 1);
      users = Arrays.copyOf(users, capacity);
      movies = Arrays.copyOf(movies, capacity);
      ratings = Arrays.copyOf(ratings, capacity);
      timestamps = Arrays.copyOf(timestamps, capacity);
    }
    users[size] = user;
    movies[size] = movie;
    ratings[size] = rating;
    timestamps[size] = timestamp;
    size++;
  }
}
