package dev.recsys.trainer.cli;

import dev.recsys.models.console.Cli;
import picocli.CommandLine.Command;

/** The root command. */
@Command(
    name = "recsys-trainer",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    description = "Trains movie recommendation models on MovieLens and publishes them into a model registry.",
    subcommands = {DataCommand.class, EdaCommand.class, EvaluateCommand.class, TuneCommand.class, TrainCommand.class, SimilarCommand.class, RegistryCommand.class})
public final class TrainerCommand {}
