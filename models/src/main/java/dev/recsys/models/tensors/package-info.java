/**
 * Named numeric arrays in the safetensors file format (an 8-byte header length, a JSON header of
 * names, dtypes, shapes and byte ranges, then raw little-endian data), used for every non-TorchScript
 * table of a model version: biases, centroids, neighbour lists, popularity, per-user data. The format
 * is readable from Python's {@code safetensors} package too.
 *
 * <p>Owns the format and its validation; knows nothing of what the tables mean.
 */
package dev.recsys.models.tensors;
