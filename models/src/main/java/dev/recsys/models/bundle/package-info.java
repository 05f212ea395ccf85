/**
 * A model version's artifacts as one loaded unit: which files a version holds, how they are read and
 * cross-checked (shapes agree, values finite, the manifest's smoke tests reproduce), the rating
 * predictor the manifest selected, and the load-time tables the trainer derives once so that loads
 * need not (each checked at every load, and rebuilt when it fails). The trainer loads a staged
 * version through it before publishing; the server loads promoted versions through it. Owns no
 * serving policy and no training.
 */
package dev.recsys.models.bundle;
