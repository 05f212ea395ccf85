/**
 * Terminal output shared by the command-line tools (trainer and client): progress lines for long
 * work and aligned text tables. Writes only to the stream it is given; no model knowledge.
 */
package dev.recsys.models.console;
