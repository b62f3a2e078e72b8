package dev.sit.cli;

import dev.sit.core.model.ComputeSettings;
import dev.sit.core.model.ModelBenchmark;
import dev.sit.core.model.OpProfile;
import dev.sit.core.model.SitConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sit bench}: times a forward pass and a training step (forward, backward, AdamW through
 * SameDiff's {@code fit}) of a model size after warm-up, with resident memory sampled every step.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time the SiT network: forward pass and training step (forward + backward + AdamW) after "
                + "warm-up; prints ms per step, images/s and peak resident memory (and whether it grows).",
                "Without --model or a custom size the model is SiT-S/2.", "Example: sit bench --model SiT-S/2 --batch 8 --latent 32"})
public final class BenchCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--batch", paramLabel = "N", description = "images per step (default ${DEFAULT-VALUE})")
    int batch = 8;

    @Option(names = "--latent", paramLabel = "S", description = "latent height and width, same as --input-size "
            + "(default 32)")
    Integer latent;

    @Option(names = "--steps", paramLabel = "N", description = "timed training steps (default ${DEFAULT-VALUE}; 0: forward only, the training graph is not built)")
    int steps = 20;

    @Option(names = "--forward-steps", paramLabel = "N", description = "timed forward passes (default ${DEFAULT-VALUE})")
    int forwardSteps = 10;

    @Option(names = "--warmup", paramLabel = "N", description = "untimed steps before each measurement "
            + "(default ${DEFAULT-VALUE})")
    int warmup = 3;

    @Option(names = "--micro-batches", paramLabel = "K", description = "training steps run the batch as K equal "
            + "micro-batches and average their gradients, as train.micro_batches does (default ${DEFAULT-VALUE}: "
            + "the whole batch at once)")
    int microBatches = 1;

    @Option(names = "--no-gc", description = "do not collect garbage after every training step (shows the memory growth)")
    boolean noGc;

    @Option(names = "--seed", paramLabel = "N", description = "initialisation and data seed (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--ops", paramLabel = "N", arity = "0..1", fallbackValue = "15", description = "also time the "
            + "timed steps' SameDiff ops and print the N op types that took the most time per step (default N: "
            + "${FALLBACK-VALUE}; 0 lists all); the listener adds a little time to each op")
    Integer ops;

    @Option(names = {"-v", "--verbose"}, description = "print every step")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;


    @picocli.CommandLine.Mixin
    ExperimentModelOption experimentModel = new ExperimentModelOption();


    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SitConfig config;
        ModelBenchmark.Settings settings;
        try {
            if (latent != null) {
                if (modelOptions.inputSize != null && !modelOptions.inputSize.equals(latent)) {
                    throw new IllegalArgumentException("--latent " + latent + " and --input-size " + modelOptions.inputSize
                            + " disagree; give one");
                }
                modelOptions.inputSize = latent;
            }
            SitConfig base = experimentModel.baseConfig();
            if (base == null && modelOptions.model == null && modelOptions.hiddenSize == null) {
                modelOptions.model = "SiT-S/2";
            }
            config = modelOptions.config(base);
            if (ops != null && ops < 0) {
                throw new IllegalArgumentException("--ops " + ops + " must be 0 (all op types) or more");
            }
            settings = new ModelBenchmark.Settings(config, batch, warmup, steps, forwardSteps, !noGc, seed, microBatches,
                    ops != null);
        } catch (IllegalArgumentException | java.io.IOException e) {
            err.println("sit bench: error: " + e.getMessage());
            err.flush();
            return SitCommand.EXIT_INVALID;
        }
        for (String advice : ComputeSettings.environmentAdvice()) {
            err.println("sit bench: note: " + advice);
        }
        err.flush();
        out.printf("model: %s; %,d parameters; batch %d of %dx%dx%d latents%s, float32%n", describe(config),
                config.parameterCount(), batch, config.inChannels(), config.inputSize(), config.inputSize(),
                microBatches > 1 ? " (training in " + microBatches + " micro-batches of " + batch / microBatches + ")" : "");
        out.flush();
        ModelBenchmark.Result r = ModelBenchmark.run(settings, line -> {
            if (verbose) {
                out.println("  " + line);
                out.flush();
            }
        });
        print(out, "forward", r.forward());
        print(out, "train step", r.train());
        if (ops != null) {
            printOps(out, "forward", r.forward(), r.forwardOps());
            printOps(out, "train step", r.train(), r.trainOps());
        }
        out.printf("memory: peak resident %.2f GB (VmHWM)%s%n", r.peakResidentBytes() / 1e9, growth(r.memory()));
        for (ModelBenchmark.MemoryAt m : r.breakdown()) {
            out.printf("memory %s: %s%n", m.when(), m.memory().describe(config.parameterCount() * 4L));
        }
        out.flush();
        return 0;
    }

    private static String describe(SitConfig c) {
        return "hidden " + c.hiddenSize() + ", depth " + c.depth() + ", heads " + c.numHeads() + ", patch "
                + c.patchSize() + ", learn_sigma " + c.learnSigma();
    }

    private static void print(PrintWriter out, String what, ModelBenchmark.Timing t) {
        if (t.steps() == 0) {
            return;
        }
        out.printf("%-10s: mean %.0f ms, best %.0f ms, worst %.0f ms over %d steps: %.2f images/s (process CPU time "
                + "%.0f ms per step)%n", what, t.meanMs(), t.bestMs(), t.worstMs(), t.steps(), t.imagesPerSecond(),
                t.meanCpuMs());
    }

    /** The op types that took the most time per step, with their share of the step's mean wall time. */
    private void printOps(PrintWriter out, String what, ModelBenchmark.Timing t, List<OpProfile.OpTime> times) {
        if (t.steps() == 0 || times.isEmpty()) {
            return;
        }
        double inOps = times.stream().mapToDouble(OpProfile.OpTime::msPerStep).sum();
        int shown = ops == 0 ? times.size() : Math.min(ops, times.size());
        out.printf("%s by op type (%d of %d op types; %.1f of the step's %.1f ms were spent in ops, the rest between "
                + "them):%n", what, shown, times.size(), inOps, t.meanMs());
        out.printf("  %-32s %8s %10s %8s%n", "op", "calls", "ms/step", "of step");
        for (OpProfile.OpTime o : times.subList(0, shown)) {
            out.printf("  %-32s %8.0f %10.2f %7.1f%%%n", o.op(), o.callsPerStep(), o.msPerStep(),
                    100 * o.msPerStep() / t.meanMs());
        }
    }

    /** Resident memory over the training steps: first, middle and last sample. */
    private static String growth(List<ModelBenchmark.MemorySample> samples) {
        List<ModelBenchmark.MemorySample> train = samples.stream().filter(s -> s.phase().equals("train")).toList();
        if (train.size() < 2) {
            return "";
        }
        ModelBenchmark.MemorySample first = train.get(0);
        ModelBenchmark.MemorySample mid = train.get(train.size() / 2);
        ModelBenchmark.MemorySample last = train.get(train.size() - 1);
        return String.format("; resident during training: %.2f GB after step %d, %.2f GB after step %d, %.2f GB after "
                        + "step %d", first.residentBytes() / 1e9, first.step(), mid.residentBytes() / 1e9, mid.step(),
                last.residentBytes() / 1e9, last.step());
    }

    /** Runs {@code bench} on its own (before the subcommand is registered in {@code sit}). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }
}
