package dev.sit.cli;

import dev.sit.core.config.ExperimentLoader;
import dev.sit.core.plugin.PluginRegistry;
import dev.sit.core.sweep.ClusterSweep;
import dev.sit.core.sweep.Sweep;
import dev.sit.core.sweep.SweepDefinition;
import dev.sit.core.sweep.SweepReport;
import dev.sit.core.sweep.SweepRunResult;
import dev.sit.core.sweep.SweepVariant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sit sweep SWEEP.yaml}: run every variant of a sweep, skip finished ones, write the comparison. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a sweep: a base experiment with a grid (or list) of overrides, each variant as its own",
                "run folder in results/<sweep>/; finished variants are skipped on a re-run; writes sweep.csv,",
                "sweep.md and sweep.png in the sweep folder and prints the table."})
public final class SweepCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SWEEP", description = "sweep YAML file (name, base, set, grid or runs, metric, goal)")
    Path file;

    @Option(names = "--dry-run", description = "validate every variant, list them and stop")
    boolean dryRun;

    @Option(names = "--spark", paramLabel = "MASTER", description = "run the variants as Spark tasks, side by side: "
            + "local[N], spark://host:7077, yarn, ... (the sit-spark module; ./sit builds it on first use); the sweep "
            + "folder must be on a file system every executor can write")
    String spark;

    @Mixin
    PluginOptions plugins = new PluginOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "sweep file " + file + " does not exist");
        }
        Sweep sweep = Sweep.read(file, d -> new ExperimentLoader(plugins.commandLine(), PluginOptions.environment(),
                PluginRegistry::discover, Sweep.environment(d, System.getenv())));
        SweepDefinition definition = sweep.definition();
        if (dryRun) {
            sweep.validate();
            System.out.println("sweep " + definition.name() + ": " + definition.variants().size() + " variants of "
                    + definition.base() + " into " + definition.folder() + "/, compared by " + definition.metric()
                    + " (" + (definition.maximize() ? "higher" : "lower") + " is better)");
            for (SweepVariant v : definition.variants()) {
                System.out.println("  " + v.label() + (Files.isRegularFile(sweep.summaryFile(v)) ? "  (finished)" : ""));
            }
            return 0;
        }
        Sweep.Placement cluster = null;
        if (spark != null) {
            ClusterSweep found = ClusterSweep.find("spark").orElseThrow(() ->
                    new CommandLine.ParameterException(spec.commandLine(), "--spark " + spark + ": the sit-spark module and "
                            + "Apache Spark are not on the class path; run through ./sit, which builds them on first use of "
                            + "--spark, or with spark-submit as the README's \"Scaling out\" shows"));
            cluster = new Sweep.Placement(found, spark,
                    plugins.commandLine().stream().map(p -> p.toAbsolutePath().toString()).toList());
        }
        List<SweepRunResult> results = sweep.run(new ConsoleRunListener(System.err), cluster);
        SweepReport report = new SweepReport(definition, results);
        System.out.print(report.markdown());
        String best = report.best();
        if (best != null) {
            System.out.println("best by " + definition.metric() + ": " + best);
        }
        return 0;
    }
}
