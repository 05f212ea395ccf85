/**
 * The {@code recsys-trainer} command-line tool: the offline half of the system. {@link
 * dev.recsys.trainer.TrainerMain} only wires the process (native-library settings, exit code); the
 * commands live in {@code cli}, and each capability in its own package.
 */
package dev.recsys.trainer;
