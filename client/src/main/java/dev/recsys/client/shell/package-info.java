/**
 * The interactive shell: type a title to get similar movies, {@code user 42} for a user's top five,
 * {@code rate <title> <stars>} to build an ad-hoc profile and get recommendations for it. JLine gives
 * line editing and a persistent history.
 */
package dev.recsys.client.shell;
