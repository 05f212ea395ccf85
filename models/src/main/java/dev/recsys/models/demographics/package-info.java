/**
 * What a person's age and gender say about their first list, before they rate anything: the
 * demographic groups (shared by the trainer, which counts each group's ratings, and the server,
 * which places a new user in them) and the popularity within each group.
 */
package dev.recsys.models.demographics;
