/**
 * The trainer's picocli commands: argument parsing, progress and tables on the terminal, exit
 * codes. Commands delegate the work to the capability packages and hold no logic of their own
 * beyond presentation.
 */
package dev.recsys.trainer.cli;
