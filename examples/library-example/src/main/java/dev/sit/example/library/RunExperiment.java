package dev.sit.example.library;

import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.engine.RunListener;
import dev.sit.core.engine.RunOutcome;
import dev.sit.core.engine.SitEngine;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs an experiment through sit's public engine API: prints the loss of every logged step and
 * the sample grids the run writes. Usage: {@code RunExperiment EXPERIMENT.yaml [key=value ...]}.
 */
public final class RunExperiment {

    private RunExperiment() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: RunExperiment EXPERIMENT.yaml [key.path=value ...]");
            System.exit(2);
        }
        RunOutcome outcome = run(Path.of(args[0]), Arrays.asList(args).subList(1, args.length), new PrintingListener());
        System.out.println("run folder: " + outcome.runFolder().map(Path::toString).orElse("(none)"));
    }

    /** Loads, validates and runs the experiment with the class path's plugins. */
    public static RunOutcome run(Path experiment, List<String> overrides, RunListener listener) throws Exception {
        SitEngine engine = SitEngine.withPluginPath(List.of());
        ResolvedExperiment resolved = engine.load(experiment, overrides);
        return engine.run(resolved, listener);
    }

    /** Prints what an embedding program typically wants: losses and images. */
    static final class PrintingListener implements RunListener {

        @Override
        public void stepLogged(long step, Map<String, Double> scalars) {
            System.out.printf(Locale.ROOT, "step %d: loss %.4f%n", step, scalars.get("loss"));
        }

        @Override
        public void imageProduced(long step, Path file, String caption) {
            System.out.println("sample grid at step " + step + ": " + file);
        }
    }
}
