/**
 * TorchScript files of embedding models, written from Java without Python and loaded through DJL's
 * PyTorch engine. The files are the format of record: {@code torch.jit.load} and DJL both load them,
 * and their {@code forward(users, items)} reproduces the in-memory model.
 *
 * <p>Owns the archive layout, the pickle subset it needs, the TorchScript source, and loading.
 */
package dev.recsys.models.torchscript;
