package dev.recsys.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.models.console.Cli;
import dev.recsys.models.manifest.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class DataSynthCommandTest {

  @TempDir Path tmp;

  @Test
  void writesThePlantedTruthWithTheRequestedSettings() throws Exception {
    Path out = tmp.resolve("synth");
    assertEquals(0, Cli.run(new TrainerCommand(), "data", "synth", "--out", out.toString(), "--ratings", "3000",
        "--users", "100", "--movies", "200", "--segments", "3", "--latent-dim", "4", "--noise", "0.5"));
    JsonNode json = Json.MAPPER.readTree(out.resolve("planted.json").toFile());
    assertEquals(3, json.get("segments").asInt());
    assertEquals(4, json.get("latent_dim").asInt());
    assertEquals(0.5, json.get("noise_std").asDouble(), 1e-12);
    assertEquals(101, Files.readAllLines(out.resolve("planted.csv")).size());
  }

  @Test
  void badSettingsNameTheOptionAndTheValue() {
    assertRejected("--segments", "0", s -> s.segments = 0);
    assertRejected("--segments", "300", s -> s.segments = 300);
    assertRejected("--latent-dim", "-3", s -> s.latentDim = -3);
    assertRejected("--noise", "NaN", s -> s.noise = Double.NaN);
    assertRejected("--noise", "-0.1", s -> s.noise = -0.1);
    assertRejected("--taste-share", "1.5", s -> s.tasteShare = 1.5);
  }

  private void assertRejected(String option, String value, java.util.function.Consumer<DataCommand.Synth> change) {
    DataCommand.Synth synth = new DataCommand.Synth();
    synth.out = tmp.resolve("never");
    synth.ratings = 1000;
    synth.users = 10;
    synth.movies = 100;
    synth.segments = 7;
    synth.latentDim = 16;
    synth.noise = 0.8;
    synth.tasteShare = 0.8;
    change.accept(synth);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, synth::call);
    assertTrue(e.getMessage().contains(option) && e.getMessage().contains(value), e.getMessage());
    assertTrue(Files.notExists(synth.out), "nothing written for a bad " + option);
  }
}
