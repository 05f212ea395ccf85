/**
 * An automatic judge of a similar-movies table, with no human labels: {@link
 * dev.recsys.trainer.judge.FranchiseGroups} finds franchises (sequels, episodes, parts) from the
 * catalogue's own titles, and {@link dev.recsys.trainer.judge.SimilarityJudge} scores a table by
 * how often a franchise movie's neighbours include its siblings, how well neighbours agree on
 * genres, and how strongly the table leans towards popular movies. Pure computation, no I/O.
 */
package dev.recsys.trainer.judge;
