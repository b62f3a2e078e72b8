package dev.sit.api.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sit.api.logging.LoggedImage;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.logging.RunContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link MetricsLogger} must do, whatever it logs to: accept scalars, messages and
 * images after {@code start}, finish exactly once however often it is asked, and never throw
 * from the logging calls, even when its output fails. A logger's test class extends this and
 * says how to make the logger.
 */
public abstract class MetricsLoggerContract {

    @TempDir
    protected Path runDir;

    /** A logger writing to (or under) {@code runDir}, working normally. */
    protected abstract MetricsLogger newLogger(Path runDir) throws Exception;

    /**
     * A logger whose output fails with I/O errors once started (for example a file on
     * {@code /dev/full}, or a server that does not answer). Tests may skip with an assumption
     * where the failure cannot be arranged on this machine.
     */
    protected abstract MetricsLogger newLoggerWithFailingOutput(Path runDir) throws Exception;

    /** Evidence that the logger recorded the scalar {@code loss} = {@code value} at {@code step}. */
    protected abstract boolean recordedLoss(Path runDir, long step, double value) throws Exception;

    protected RunContext context(Path dir) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", "contract");
        config.put("train", Map.of("lr", 1.0e-4, "steps", 10));
        return new RunContext("000-contract", dir, config, 0, false);
    }

    protected static LoggedImage tinyImage(String key) {
        BufferedImage image = new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0xff8800);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LoggedImage(key, out.toByteArray(), 6, 4, null);
    }

    @Test
    void acceptsScalarsMessagesAndImagesAfterStart() throws Exception {
        MetricsLogger logger = newLogger(runDir);
        logger.start(context(runDir));
        logger.logMessage("Training for 3 steps");
        logger.logScalars(1, Map.of("loss", 0.5, "steps_per_sec", 2.0));
        logger.logImage(2, tinyImage("samples"));
        logger.logScalars(2, Map.of("loss", 0.25, "steps_per_sec", 2.5));
        logger.finish(0);
        assertThat(recordedLoss(runDir, 1, 0.5)).as("loss at step 1 recorded").isTrue();
        assertThat(recordedLoss(runDir, 2, 0.25)).as("loss at step 2 recorded").isTrue();
    }

    @Test
    void finishIsIdempotentAndCloseAfterFinishIsHarmless() throws Exception {
        MetricsLogger logger = newLogger(runDir);
        logger.start(context(runDir));
        logger.logScalars(1, Map.of("loss", 0.5));
        logger.finish(0);
        assertThatCode(() -> {
            logger.finish(1);
            logger.close();
        }).doesNotThrowAnyException();
        assertThat(recordedLoss(runDir, 1, 0.5)).isTrue();
    }

    @Test
    void callsAfterFinishAreIgnoredNotThrown() throws Exception {
        MetricsLogger logger = newLogger(runDir);
        logger.start(context(runDir));
        logger.finish(0);
        assertThatCode(() -> {
            logger.logScalars(5, Map.of("loss", 1.0));
            logger.logImage(5, tinyImage("samples"));
            logger.logMessage("late");
        }).doesNotThrowAnyException();
    }

    @Test
    void nonFiniteValuesDoNotBreakTheLogger() throws Exception {
        MetricsLogger logger = newLogger(runDir);
        logger.start(context(runDir));
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("loss", Double.NaN);
        scalars.put("grad_norm", Double.POSITIVE_INFINITY);
        assertThatCode(() -> logger.logScalars(1, scalars)).doesNotThrowAnyException();
        logger.logScalars(2, Map.of("loss", 0.75));
        logger.finish(0);
        assertThat(recordedLoss(runDir, 2, 0.75)).isTrue();
    }

    @Test
    void neverThrowsFromLoggingCallsWhenOutputFails() throws Exception {
        MetricsLogger logger = newLoggerWithFailingOutput(runDir);
        logger.start(context(runDir));
        assertThatCode(() -> {
            for (int step = 0; step < 5; step++) {
                logger.logScalars(step, Map.of("loss", 1.0 / (step + 1)));
                logger.logMessage("step " + step);
            }
            logger.logImage(4, tinyImage("samples"));
            logger.finish(1);
            logger.close();
        }).doesNotThrowAnyException();
    }
}
