/**
 * Server settings: one immutable record, read from command-line options with {@code RECSYS_*}
 * environment variables as defaults (the Helm chart sets those), validated once at start-up with the
 * offending value in the message.
 */
package dev.recsys.server.config;
