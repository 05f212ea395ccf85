/**
 * Publishing a trained version: writing every artifact into a staged registry version, computing
 * the smoke tests, loading the staged files back through the same loader the server uses (so a
 * version that would not load, or would predict differently, is never published), then publishing
 * and optionally promoting it.
 */
package dev.recsys.trainer.publish;
