/**
 * MovieLens data: locating and downloading archives (checksum-verified), reading every official
 * layout (ml-latest-small and ml-25m CSV, ml-100k, ml-1m and ml-10m {@code ::} files) from a folder
 * or a zip, cleaning with every dropped or fixed row counted, and holding ratings in compact
 * primitive arrays with dense user and movie indexes.
 *
 * <p>Owns raw input and its quality report. Knows nothing of models, evaluation or the registry.
 */
package dev.recsys.trainer.data;
