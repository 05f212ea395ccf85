/**
 * User segments and movie clusters: K-Means centroids (never a label per training point), the
 * representation users are clustered in, and the profile of each segment. Assigning a user or movie
 * is a nearest-centroid search, so unseen users are assigned the same way as known ones.
 */
package dev.recsys.models.segments;
