package dev.recsys.trainer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recsys.trainer.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class EdaReportTest {

  @TempDir Path out;

  @Test
  void write_ml100k_producesEveryPlotAndTheSummary() throws Exception {
    ObjectNode summary = EdaReport.write(Fixtures.data("ml-100k"), out);

    for (String png : List.of("rating-distribution", "long-tail", "genre-count", "genre-mean", "ratings-per-year", "mean-by-release-year")) {
      Path p = out.resolve(png + ".png");
      assertTrue(Files.size(p) > 5_000, png);
      // Real PNGs, not placeholders.
      assertEquals((byte) 0x89, Files.readAllBytes(p)[0]);
    }
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("long-tail.png") && html.contains("Data quality"));
    assertEquals(100_000, summary.get("ratings").asInt());
    assertEquals(5, summary.get("rating_distribution").size());
    assertEquals(737, summary.get("ratings_per_user").get("max").asInt());
    assertTrue(Files.readString(out.resolve("summary.json")).contains("\"genres\""));
  }
}
