package dev.recsys.trainer;

import dev.recsys.models.console.Cli;
import dev.recsys.models.torchscript.NativeSettings;
import dev.recsys.trainer.cli.TrainerCommand;

/** Entry point of {@code recsys-trainer}. */
public final class TrainerMain {

  private TrainerMain() {}

  public static void main(String[] args) {
    NativeSettings.apply();
    System.exit(Cli.run(new TrainerCommand(), args));
  }
}
