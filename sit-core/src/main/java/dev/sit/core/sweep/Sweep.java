package dev.sit.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sit.core.config.ConfigException;
import dev.sit.core.config.ConfigProblem;
import dev.sit.core.config.ExperimentLoader;
import dev.sit.core.config.Overrides;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.config.YamlDocument;
import dev.sit.core.engine.RunListener;
import dev.sit.core.engine.RunOutcome;
import dev.sit.core.engine.SitEngine;
import dev.sit.core.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link SweepDefinition}: every variant is the base experiment with the sweep's {@code set:}
 * and the variant's overrides, run by {@link SitEngine} (train, then sample; eval when the experiment
 * has it) as its own run folder {@code <results_dir>/<sweep>/NNN-<label>/} with its own logs.
 *
 * <p>All variants are validated before the first one runs (every problem at once, each at the sweep
 * file's or the base file's line). A finished run leaves {@code runs/<label>.json} in the sweep folder;
 * a re-run skips those variants, so an interrupted sweep continues where it stopped: the interrupted
 * variant resumes from its newest checkpoint in its own run folder ({@code train.resume: latest}), or
 * starts again when it wrote none. After every run {@link SweepReport} rewrites sweep.csv, sweep.md and sweep.png.
 * W&B runs are grouped by the sweep's name ({@code WANDB_RUN_GROUP}, unless the environment sets one).
 */
public final class Sweep {

    /** The environment variable the W&B logger reads its run group from. */
    public static final String WANDB_GROUP_VARIABLE = "WANDB_RUN_GROUP";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final SweepDefinition definition;
    private final ExperimentLoader loader;

    /** @param loader loads each variant; see {@link #environment} for the environment to build it with */
    public Sweep(SweepDefinition definition, ExperimentLoader loader) {
        this.definition = definition;
        this.loader = loader;
    }

    /** The process environment plus the sweep's W&B group (an explicit {@code WANDB_RUN_GROUP} wins). */
    public static Map<String, String> environment(SweepDefinition definition, Map<String, String> environment) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.putIfAbsent(WANDB_GROUP_VARIABLE, definition.name());
        return env;
    }

    /**
     * The sweep of a file, with plugins from the class path, these folders or jars and
     * {@code SIT_PLUGIN_PATH}: what {@code sit sweep} and each cluster task load.
     */
    public static Sweep of(Path sweepFile, List<Path> plugins) throws IOException {
        return read(sweepFile, definition -> new ExperimentLoader(plugins,
                System.getenv(dev.sit.core.plugin.PluginPath.ENVIRONMENT_VARIABLE),
                dev.sit.core.plugin.PluginRegistry::discover, environment(definition, System.getenv())));
    }

    /**
     * The sweep of a file whose experiments load through {@code loaderOf(definition)}. A sweep file with
     * problems is refused with all of them at once: its own, and, when its base and variants could be
     * made out, those of every variant too.
     *
     * @throws ConfigException with every problem found
     */
    public static Sweep read(Path sweepFile, java.util.function.Function<SweepDefinition, ExperimentLoader> loaderOf)
            throws IOException {
        SweepDefinition.Parsed parsed = SweepDefinition.parse(sweepFile);
        if (parsed.problems().isEmpty()) {
            return new Sweep(parsed.definition(), loaderOf.apply(parsed.definition()));
        }
        List<ConfigProblem> problems = new ArrayList<>(parsed.problems());
        if (parsed.definition() != null) {
            new Sweep(parsed.definition(), loaderOf.apply(parsed.definition())).resolveAll(problems);
        }
        throw new ConfigException(problems);
    }

    public SweepDefinition definition() {
        return definition;
    }

    /** The summary file that marks a variant finished. */
    public Path summaryFile(SweepVariant variant) {
        return definition.folder().resolve("runs").resolve(variant.label() + ".json");
    }

    /**
     * Every variant resolved, in order; all problems of all variants at once (each reported once).
     *
     * @throws ConfigException when any variant cannot run
     */
    public List<ResolvedExperiment> validate() throws IOException {
        List<ConfigProblem> problems = new ArrayList<>();
        List<ResolvedExperiment> resolved = resolveAll(problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return resolved;
    }

    /** Every variant that resolves, in order; the problems of the others are added to {@code problems} (each once). */
    private List<ResolvedExperiment> resolveAll(List<ConfigProblem> problems) throws IOException {
        List<ResolvedExperiment> resolved = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (SweepVariant variant : definition.variants()) {
            try {
                resolved.add(load(variant));
            } catch (ConfigException e) {
                for (ConfigProblem p : e.problems()) {
                    if (seen.add(p.toString())) {
                        problems.add(p);
                    }
                }
            }
        }
        return resolved;
    }

    private ResolvedExperiment load(SweepVariant variant) throws IOException {
        Overrides overrides = Overrides.none();
        for (SweepAssignment a : definition.shared()) {
            overrides = a.appendTo(overrides);
        }
        overrides = overrides.then(variant.overrides());
        // each run is named by its label, in the sweep's folder
        var where = new dev.sit.core.config.SourceLocation(definition.file().toString(), 0, 0);
        overrides = overrides.with("name", new TextNode(variant.label()), where)
                .with("results_dir", new TextNode(definition.folder().toString()), where);
        YamlDocument document = YamlDocument.read(definition.base());
        if (trains(document, variant) && !setsResume(variant)) {
            // an interrupted variant continues from its newest checkpoint ("latest" starts from scratch if none)
            overrides = overrides.with("train.resume", new TextNode("latest"), where);
        }
        return loader.load(definition.base(), document, overrides);
    }

    private boolean trains(YamlDocument base, SweepVariant variant) {
        if (base.root().hasNonNull("train")) {
            return true;
        }
        List<SweepAssignment> all = new ArrayList<>(definition.shared());
        all.addAll(variant.assignments());
        return all.stream().anyMatch(a -> a.key().equals("train") || a.key().startsWith("train."));
    }

    private boolean setsResume(SweepVariant variant) {
        List<SweepAssignment> all = new ArrayList<>(definition.shared());
        all.addAll(variant.assignments());
        return all.stream().anyMatch(a -> a.key().equals("train.resume"));
    }

    /**
     * Runs every variant that has no summary yet, in order, and writes the reports.
     *
     * @param listener receives every run's events, and one {@code info} line per variant
     * @return every variant's result (finished before or now), in order
     */
    public List<SweepRunResult> run(RunListener listener) throws Exception {
        return run(listener, null);
    }

    /**
     * As {@link #run(RunListener)}; with a cluster, the pending variants run as its tasks (in any order,
     * several at once) and their runs' events stay in the tasks' logs: this process says which variant
     * finished, then reads every summary and writes the reports.
     *
     * @param cluster where the variants run, or null for one after the other in this process
     */
    public List<SweepRunResult> run(RunListener listener, Placement cluster) throws Exception {
        List<ResolvedExperiment> resolved = validate();
        if (cluster != null) {
            return runOn(cluster, listener);
        }
        Files.createDirectories(definition.folder().resolve("runs"));
        List<SweepRunResult> results = new ArrayList<>();
        int n = definition.variants().size();
        for (int i = 0; i < n; i++) {
            SweepVariant variant = definition.variants().get(i);
            Path summary = summaryFile(variant);
            if (Files.isRegularFile(summary)) {
                SweepRunResult done = JSON.readValue(summary.toFile(), SweepRunResult.class);
                listener.info(String.format(Locale.ROOT, "sweep %s: variant %d/%d %s already finished (%s = %s); skipped",
                        definition.name(), i + 1, n, variant.label(), definition.metric(), done.metric()));
                results.add(done);
                continue;
            }
            listener.info(String.format(Locale.ROOT, "sweep %s: variant %d/%d %s", definition.name(), i + 1, n,
                    variant.label()));
            SweepRunResult result = runOne(variant, resolved.get(i), listener);
            AtomicFile.write(summary, JSON.writeValueAsBytes(result));
            results.add(result);
            new SweepReport(definition, results).write();
        }
        for (Path p : new SweepReport(definition, results).write()) {
            listener.fileWritten(p, "sweep report");
        }
        return results;
    }

    /** Where {@code sit sweep --spark} sends the variants: the implementation, its master, the plugins (absolute). */
    public record Placement(ClusterSweep cluster, String master, List<String> plugins) {
    }

    private List<SweepRunResult> runOn(Placement placement, RunListener listener) throws Exception {
        Files.createDirectories(definition.folder().resolve("runs"));
        List<Integer> pending = new ArrayList<>();
        int n = definition.variants().size();
        for (int i = 0; i < n; i++) {
            if (Files.isRegularFile(summaryFile(definition.variants().get(i)))) {
                listener.info(String.format(Locale.ROOT, "sweep %s: variant %d/%d %s already finished; skipped",
                        definition.name(), i + 1, n, definition.variants().get(i).label()));
            } else {
                pending.add(i);
            }
        }
        if (!pending.isEmpty()) {
            listener.info(String.format(Locale.ROOT, "sweep %s: %d variants as %s tasks (%s); each run's log is in its "
                    + "run folder", definition.name(), pending.size(), placement.cluster().name(), placement.master()));
            placement.cluster().run(new ClusterSweep.Request(placement.master(),
                    definition.file().toAbsolutePath().toString(), pending, placement.plugins()),
                    label -> listener.info("sweep " + definition.name() + ": variant " + label + " finished"));
        }
        List<SweepRunResult> results = new ArrayList<>();
        for (SweepVariant variant : definition.variants()) {
            results.add(JSON.readValue(summaryFile(variant).toFile(), SweepRunResult.class));
        }
        for (Path p : new SweepReport(definition, results).write()) {
            listener.fileWritten(p, "sweep report");
        }
        return results;
    }

    /**
     * Runs variant {@code index} (a cluster task's work): the run through {@link SitEngine}, then its
     * summary, written atomically, which marks it finished for every later run of the sweep.
     */
    public SweepRunResult runVariant(int index, RunListener listener) throws Exception {
        SweepVariant variant = definition.variants().get(index);
        SweepRunResult result = runOne(variant, load(variant), listener);
        AtomicFile.write(summaryFile(variant), JSON.writeValueAsBytes(result));
        return result;
    }

    private SweepRunResult runOne(SweepVariant variant, ResolvedExperiment experiment, RunListener listener)
            throws Exception {
        LastScalars last = new LastScalars(listener);
        long start = System.nanoTime();
        RunOutcome outcome = new SitEngine(loader).run(experiment, last);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> scalars = new LinkedHashMap<>();
        Path folder = outcome.runFolder().orElse(null);
        if (folder != null && Files.isRegularFile(folder.resolve("eval.json"))) {
            flatten("", JSON.readTree(folder.resolve("eval.json").toFile()), scalars);
        }
        last.scalars.forEach(scalars::putIfAbsent);
        scalars.put("final_loss", outcome.lastLoss());
        scalars.put("steps", (double) outcome.trainedToStep());
        scalars.put("seconds", seconds);
        Double metric = scalars.get(definition.metric());
        if (metric == null) {
            listener.warning("sweep " + definition.name() + ": run " + variant.label() + " reported no '"
                    + definition.metric() + "' (it has " + String.join(", ", scalars.keySet())
                    + "); set metric: in the sweep file to one of those");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (SweepAssignment a : variant.assignments()) {
            values.put(a.key(), a.valueText());
        }
        return new SweepRunResult(variant.label(), values, metric == null ? Double.NaN : metric, scalars,
                folder == null ? "" : folder.toString());
    }

    /** Numbers of eval.json, nested keys joined by dots. */
    private static void flatten(String prefix, JsonNode node, Map<String, Double> out) {
        if (node.isNumber()) {
            out.put(prefix, node.asDouble());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        }
    }

    /** Forwards every event and remembers the last logged scalars of training. */
    private static final class LastScalars implements RunListener {
        private final RunListener next;
        // sorted: listeners get unordered copies, the summaries and messages must not depend on that
        private final Map<String, Double> scalars = new java.util.TreeMap<>();

        LastScalars(RunListener next) {
            this.next = next;
        }

        @Override public void runStarted(Path runFolder) { next.runStarted(runFolder); }
        @Override public void stageStarted(dev.sit.core.engine.Stage stage, String description, long total, long alreadyDone) {
            next.stageStarted(stage, description, total, alreadyDone);
        }
        @Override public void progress(dev.sit.core.engine.Stage stage, long done, String detail) { next.progress(stage, done, detail); }
        @Override public void stageFinished(dev.sit.core.engine.Stage stage, String summary) { next.stageFinished(stage, summary); }
        @Override public void stepLogged(long step, Map<String, Double> logged) {
            scalars.putAll(logged);
            next.stepLogged(step, logged);
        }
        @Override public void imageProduced(long step, Path file, String caption) { next.imageProduced(step, file, caption); }
        @Override public void checkpointWritten(long step, Path checkpoint) { next.checkpointWritten(step, checkpoint); }
        @Override public void fileWritten(Path file, String what) { next.fileWritten(file, what); }
        @Override public void info(String message) { next.info(message); }
        @Override public void warning(String message) { next.warning(message); }
        @Override public void runFinished(RunOutcome outcome) { next.runFinished(outcome); }
        @Override public void runFailed(Throwable error) { next.runFailed(error); }
    }
}
