package dev.recsys.client.cli;

import dev.recsys.models.console.Cli;
import picocli.CommandLine.Command;

/** The root command. */
@Command(name = "recsys-client", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
    description = "Client of the recsys gRPC API: queries, model operations, an interactive shell and a load generator.",
    subcommands = {RecommendCommand.class, PredictCommand.class, SimilarCommand.class, ClusterCommand.class, RateCommand.class,
        ModelsCommand.class, HealthCommand.class, ShellCommand.class, LoadCommand.class})
public final class ClientCommand {}
