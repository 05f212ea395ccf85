/**
 * Embedding models trained by mini-batch gradient descent in plain Java: the rating matrix
 * factorisation (biased MF, mean-squared error) and the BPR ranking model, with Adam applied to the
 * rows each batch touches, L2, early stopping on a validation split, and their training curves.
 *
 * <p>Owns the training loops and their hand-written gradients. Produces
 * {@link dev.recsys.models.embedding.EmbeddingTables} (exported as TorchScript elsewhere); knows
 * nothing of files or the registry.
 */
package dev.recsys.trainer.mf;
