package dev.sit.plugins.loggers;

import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.testkit.MetricsLoggerContract;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;

class ConsoleLoggerContractTest extends MetricsLoggerContract {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Override
    protected MetricsLogger newLogger(Path runDir) {
        return new ConsoleLogger(ConsoleLoggerOptions.defaults(), QUIET, Clock.systemDefaultZone());
    }

    @Override
    protected MetricsLogger newLoggerWithFailingOutput(Path runDir) {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "needs /dev/full");
        return new ConsoleLogger(new ConsoleLoggerOptions("/dev/full", true, true), QUIET, Clock.systemDefaultZone());
    }

    @Override
    protected boolean recordedLoss(Path runDir, long step, double value) throws Exception {
        String expected = String.format(Locale.ROOT, "(step=%07d) Train Loss: %.4f", step, value);
        return Files.readAllLines(runDir.resolve("log.txt")).stream().anyMatch(l -> l.contains(expected));
    }
}
