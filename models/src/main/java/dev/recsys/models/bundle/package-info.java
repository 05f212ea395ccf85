/**
 * A model version's artifacts as one loaded unit: which files a version holds, how they are read and
 * cross-checked (shapes agree, values finite, the manifest's smoke tests reproduce), and the rating
 * predictor the manifest selected. The trainer loads a staged version through it before publishing;
 * the server loads promoted versions through it. Owns no serving policy and no training.
 */
package dev.recsys.models.bundle;
