/**
 * Embedding models trained with DJL's PyTorch engine: the rating matrix factorisation (biased MF,
 * mean-squared error, Adam, L2, early stopping on a validation split) and its training curve.
 *
 * <p>Owns the autograd training loops. Produces {@link dev.recsys.models.embedding.EmbeddingTables};
 * knows nothing of files or the registry.
 */
package dev.recsys.trainer.mf;
