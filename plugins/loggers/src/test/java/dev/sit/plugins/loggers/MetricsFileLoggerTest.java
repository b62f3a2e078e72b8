package dev.sit.plugins.loggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sit.api.logging.RunContext;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsFileLoggerTest {

    @TempDir
    Path runDir;

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00.250Z"), ZoneOffset.UTC);

    @Test
    void oneFlushedJsonLinePerStepWithWallTimeAndEveryScalar() throws Exception {
        MetricsFileLogger logger = new MetricsFileLogger(MetricsFileOptions.defaults(), CLOCK);
        logger.start(new RunContext("000-x", runDir, Map.of(), 0, false));
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("loss", 0.5);
        scalars.put("steps_per_sec", 2.25);
        scalars.put("grad_norm", Double.NaN);
        logger.logScalars(100, scalars);
        // flushed per line: readable before finish
        List<String> lines = Files.readAllLines(runDir.resolve("metrics.jsonl"));
        assertThat(lines).containsExactly(
                "{\"step\":100,\"wall_time\":1.73568960025E9,\"loss\":0.5,\"steps_per_sec\":2.25,\"grad_norm\":NaN}");
        logger.logScalars(200, Map.of("loss", 0.25));
        logger.finish(0);
        JsonNode row = ExtendedJson.MAPPER.readTree(Files.readAllLines(runDir.resolve("metrics.jsonl")).get(1));
        assertThat(row.path("step").asLong()).isEqualTo(200);
        assertThat(row.path("loss").asDouble()).isEqualTo(0.25);
    }

    @Test
    void resumeCutsAHalfWrittenLineAppendsAndKeepsTheEarlierCurve() throws Exception {
        Path file = runDir.resolve("metrics.jsonl");
        Files.writeString(file, "{\"step\":0,\"wall_time\":1.0,\"loss\":1.0}\n{\"step\":100,\"wall_time\":2.0,\"loss\":0.5}\n"
                + "{\"step\":200,\"wall_time\":3.0,\"loss\":0.4}\n{\"step\":300,\"wall_ti");
        MetricsFileLogger logger = new MetricsFileLogger(MetricsFileOptions.defaults(), CLOCK);
        logger.start(new RunContext("000-x", runDir, Map.of(), 200, true));
        logger.logScalars(300, Map.of("loss", 0.3));
        logger.finish(0);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4);
        for (String line : lines) {
            ExtendedJson.MAPPER.readTree(line); // every line is whole JSON again
        }
        assertThat(logger.curve()).extracting(CurvePoint::step).containsExactly(0L, 100L, 300L);
    }

    @Test
    void drawsTheLossCurveAsAPngAtTheEnd() throws Exception {
        MetricsFileLogger logger = new MetricsFileLogger(new MetricsFileOptions(null, null, null, 3600.0), CLOCK);
        logger.start(new RunContext("000-x", runDir, Map.of(), 0, false));
        for (int step = 0; step <= 1000; step += 100) {
            logger.logScalars(step, Map.of("loss", 1.0 / (1 + step / 100.0)));
        }
        assertThat(Files.exists(runDir.resolve("loss.png"))).as("not before the interval").isFalse();
        logger.finish(0);
        BufferedImage png = ImageIO.read(runDir.resolve("loss.png").toFile());
        assertThat(png.getWidth()).isEqualTo(800);
        assertThat(png.getHeight()).isEqualTo(500);
        // the curve colour is present inside the plot area, and the background is white
        int blue = 0;
        for (int x = 80; x < 780; x++) {
            for (int y = 40; y < 450; y++) {
                int rgb = png.getRGB(x, y) & 0xffffff;
                int r = rgb >> 16;
                int b = rgb & 0xff;
                if (b > 150 && r < 100) {
                    blue++;
                }
            }
        }
        assertThat(blue).isGreaterThan(200);
        assertThat(png.getRGB(2, 2) & 0xffffff).isEqualTo(0xffffff);
    }

    @Test
    void redrawsWhenTheIntervalHasPassed() throws Exception {
        MetricsFileLogger logger = new MetricsFileLogger(new MetricsFileOptions(null, null, null, 0.0), CLOCK);
        logger.start(new RunContext("000-x", runDir, Map.of(), 0, false));
        logger.logScalars(0, Map.of("loss", 1.0));
        assertThat(Files.exists(runDir.resolve("loss.png"))).isTrue();
        logger.finish(0);
    }

    @Test
    void niceTicksCoverTheRange() {
        assertThat(LineChartPng.ticks(0.13, 0.97)).containsExactly(0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0);
        assertThat(LineChartPng.ticks(0, 1000)).containsExactly(0.0, 200.0, 400.0, 600.0, 800.0, 1000.0);
    }

    @Test
    void aFailingFileDoesNotStopLogging() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")));
        MetricsFileLogger logger = new MetricsFileLogger(new MetricsFileOptions("/dev/full", "", null, null), CLOCK);
        logger.start(new RunContext("000-x", runDir, Map.of(), 0, false));
        logger.logScalars(0, Map.of("loss", 1.0));
        logger.logScalars(1, Map.of("loss", 0.5));
        logger.finish(0);
        assertThat(logger.curve()).hasSize(2);
    }
}
