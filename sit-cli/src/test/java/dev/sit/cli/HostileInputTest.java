package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.core.io.HostileCheckpoints;
import dev.sit.core.io.NpyFile;
import dev.sit.core.model.SitConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;

/**
 * Bad and hostile input, one parameterised test per family: every case exits with the error
 * contract's code, names the file / flag / key and the cause in plain words (no Java class names),
 * and leaves nothing behind; the zip bomb is refused within a time and memory bound in a fresh JVM.
 * The model is the golden tiny SiT (hidden 64, depth 2, 4 heads, patch 2, 8x8x4, 10 classes).
 */
class HostileInputTest {

    private static final String[] TINY = {"--hidden-size", "64", "--depth", "2", "--num-heads", "4",
        "--patch-size", "2", "--input-size", "8", "--in-channels", "4", "--num-classes", "10", "--learn-sigma", "true"};
    private static final SitConfig TINY_CONFIG = new SitConfig(64, 2, 4, 2, 8, 4, 10, true, 4.0, 0.1);

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- helpers

    private static Path golden(String file) {
        return SampleCommandTest.golden(file);
    }

    private static CommandLineRun sit(List<String> args) {
        return CommandLineRun.of(args.toArray(new String[0]));
    }

    private static List<String> forward(Path ckpt, Path x, Path t, Path y, Path out) {
        List<String> args = new ArrayList<>(List.of("forward"));
        args.addAll(List.of(TINY));
        args.addAll(List.of("--ckpt", ckpt.toString(), "--x", x.toString(), "--t", t.toString(), "--y", y.toString(),
                "--out", out.toString()));
        return args;
    }

    private Set<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return new TreeSet<>(all.toList());
        }
    }

    /** Exit code, key words, no Java internals, and nothing new under the temporary folder. */
    private void assertRefused(List<String> args, int exitCode, Set<Path> before, String... words) throws IOException {
        CommandLineRun run = sit(args);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
        assertThat(run.err()).as("message").contains(words).doesNotContain("Exception").doesNotContain("java.")
                .doesNotContain("\tat ");
        assertThat(filesUnder(dir)).as("nothing written").isEqualTo(before);
    }

    private Path inputs(String name, INDArray a) throws IOException {
        Path p = dir.resolve(name);
        NpyFile.write(p, a);
        return p;
    }

    // ---------------------------------------------------------------- families

    /** A jar that is not a zip is named with the cause, whichever way it is given, and the command fails. */
    @ParameterizedTest
    @CsvSource({"folder, plain", "folder, json", "jar, plain"})
    void corruptPluginJarsAreNamed(String given, String format) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        byte[] noise = new byte[4000];
        new Random(7).nextBytes(noise);
        Path jar = Files.write(folder.resolve("corrupt.jar"), noise);
        List<String> args = new ArrayList<>(List.of("plugins"));
        if (format.equals("json")) {
            args.add("--json");
        }
        args.addAll(List.of("--plugins", (given.equals("jar") ? jar : folder).toString()));
        CommandLineRun run = sit(args);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(SitCommand.EXIT_INVALID);
        assertThat(run.err()).contains(jar.toString()).contains("not a readable jar").contains("remove it")
                .doesNotContain("Exception");
        assertThat(run.out()).as("no listing without the broken plugin").doesNotContain("Linear");
    }

    /** Non-finite or misshapen x / t / y are refused before the model is built, with the index of the first bad value. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "t-nan     | --t | value NaN at index 1",
        "x-inf     | --x | value +inf at index (1, 2, 3, 4)",
        "t-matrix  | --t | shape (2, 2), expected (2,)",
        "x-shape   | --x | shape (2, 3, 8, 8), expected (2, 4, 8, 8)",
        "y-range   | --y | label 12 at index 1 is outside [0, 10]",
        "y-float   | --y | class labels must be integers"})
    void badInputTensorsAreRefused(String name, String flag, String words) throws IOException {
        INDArray x = NpyFile.read(golden("z.npy"));
        INDArray t = Nd4j.createFromArray(0.25f, 0.5f);
        INDArray y = NpyFile.read(golden("y.npy"));
        switch (name) {
            case "t-nan" -> t.putScalar(1, Float.NaN);
            case "x-inf" -> x.putScalar(new long[] {1, 2, 3, 4}, Float.POSITIVE_INFINITY);
            case "t-matrix" -> t = Nd4j.createFromArray(new float[][] {{0.1f, 0.2f}, {0.3f, 0.4f}});
            case "x-shape" -> x = Nd4j.rand(DataType.FLOAT, 2, 3, 8, 8);
            case "y-range" -> y = Nd4j.createFromArray(3L, 12L);
            case "y-float" -> y = Nd4j.createFromArray(3f, 7f);
            default -> throw new IllegalArgumentException(name);
        }
        List<String> args = forward(golden("model.pt"), inputs("x.npy", x), inputs("t.npy", t), inputs("y.npy", y),
                dir.resolve("out.npy"));
        assertRefused(args, SitCommand.EXIT_INVALID, filesUnder(dir), flag + " " + dir.resolve(name.charAt(0) + ".npy"),
                words);
    }

    /** The same for {@code --noise} states of sit sample. */
    @Test
    void nonFiniteNoiseIsRefused() throws IOException {
        INDArray z = NpyFile.read(golden("z.npy"));
        z.putScalar(new long[] {0, 1, 2, 3}, Float.NaN);
        Path noise = inputs("noise.npy", z);
        List<String> args = new ArrayList<>(List.of("sample", "ODE"));
        args.addAll(List.of(SampleCommandTest.TINY));
        args.addAll(List.of("--ckpt", golden("model.pt").toString(), "--labels", "3,7", "--noise", noise.toString(),
                "--num-sampling-steps", "2", "--decode", "none", "--save-npy", dir.resolve("s.npy").toString(),
                "--output", dir.resolve("g.png").toString()));
        assertRefused(args, SitCommand.EXIT_INVALID, filesUnder(dir), "noise (--noise) " + noise,
                "value NaN at index (0, 1, 2, 3)");
    }

    /** File-system errors name the cause and the flag or setting to change. */
    @ParameterizedTest
    @ValueSource(strings = {"forward --out", "convert OUT", "run results_dir"})
    void fileSystemErrorsNameTheCauseAndTheSetting(String which) throws IOException {
        Path afile = Files.writeString(dir.resolve("afile"), "not a folder");
        Set<Path> before = filesUnder(dir);
        switch (which) {
            case "forward --out" -> assertRefused(forward(golden("model.pt"), golden("z.npy"), inputs("t.npy",
                            Nd4j.createFromArray(0.25f, 0.5f)), golden("y.npy"), afile.resolve("out.npy")),
                    SitCommand.EXIT_INVALID, filesUnder(dir), "--out", "not a directory: " + afile, "point --out at a folder");
            case "convert OUT" -> assertRefused(List.of("convert", golden("model.pt").toString(),
                    afile.resolve("x.safetensors").toString()), SitCommand.EXIT_INVALID, before, "OUT.safetensors",
                    "not a directory: " + afile);
            case "run results_dir" -> {
                Path experiment = dir.resolve("probe.yaml");
                Files.writeString(experiment, """
                        name: probe
                        results_dir: %s
                        model: {hidden_size: 32, depth: 1, num_heads: 2, patch_size: 4, input_size: 32, in_channels: 3,
                                num_classes: 10, learn_sigma: false}
                        data: {source: {name: shapes, options: {size: 64}}, vae: none}
                        train: {max_steps: 1, global_batch_size: 2}
                        """.formatted(afile));
                assertRefused(List.of("run", experiment.toString()), SitCommand.EXIT_INVALID, filesUnder(dir),
                        "results_dir " + afile, "not a directory", "point results_dir at a folder");
            }
            default -> throw new IllegalArgumentException(which);
        }
    }

    /**
     * Tests run as root, who may write into any folder, so "permission denied" and "no space left"
     * are the exceptions the JDK throws for them, given to the error contract with a real parse of
     * the command line: the failing path is matched to the flag that named it.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Permission denied       | 2 | permission denied",
        "Read-only file system   | 2 | mounted read-only",
        "No space left on device | 1 | no space left on the device"})
    void injectedFileSystemErrorsAreTranslated(String reason, int exitCode, String words) {
        Path ro = dir.resolve("ro");
        CommandLine.ParseResult parsed = new CommandLine(new SitCommand()).parseArgs(forward(golden("model.pt"),
                golden("z.npy"), golden("z.npy"), golden("y.npy"), ro.resolve("out.npy")).toArray(new String[0]));
        FileSystemException error = reason.startsWith("Permission")
                ? new AccessDeniedException(ro.toString()) : new FileSystemException(ro.resolve("out.npy").toString(),
                        null, reason);
        FailureReport report = FailureReport.of(error, parsed);
        assertThat(report.exitCode()).isEqualTo(exitCode);
        assertThat(report.message()).startsWith("sit forward: error: --out ").contains(words).contains("--out at")
                .doesNotContain("Exception");
    }

    /**
     * A 1 GiB storage of zeros deflated to about a megabyte, built from allowed pickle globals only,
     * is refused in a fresh JVM in under 6 s and 600 MB resident, before any storage is unpacked:
     * with keys the model does not have, and with the model's keys as views of an oversized storage.
     * The genuine checkpoint is the baseline (the same command, succeeding).
     */
    @ParameterizedTest
    @ValueSource(strings = {"genuine", "foreign-keys", "oversized-storage"})
    void zipBombCheckpointsAreRefusedFastAndSmall(String kind) throws Exception {
        Path ckpt = golden("model.pt");
        if (!kind.equals("genuine")) {
            ckpt = dir.resolve(kind + ".pt");
            Map<String, long[]> tensors = new LinkedHashMap<>();
            if (kind.equals("foreign-keys")) {
                tensors.put("weights", new long[] {HostileCheckpoints.ONE_GIB_OF_FLOATS});
            } else {
                TINY_CONFIG.parameters().forEach(p -> tensors.put(p.key(), p.shape()));
            }
            HostileCheckpoints.zipBomb(ckpt, tensors, HostileCheckpoints.ONE_GIB_OF_FLOATS);
            assertThat(Files.size(ckpt)).isLessThan(2L << 20);
        }
        Path out = dir.resolve("out.npy");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx4g", "-Djava.awt.headless=true", "-Dorg.bytedeco.javacpp.maxbytes=16G", "-cp",
                System.getProperty("java.class.path"), PeakMemoryMain.class.getName()));
        command.addAll(forward(ckpt, golden("z.npy"), inputs("t.npy", Nd4j.createFromArray(0.25f, 0.5f)),
                golden("y.npy"), out));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        long start = System.nanoTime();
        Process child = pb.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        double seconds = (System.nanoTime() - start) / 1e9;
        String peakLine = output.lines().filter(l -> l.startsWith(PeakMemoryMain.PEAK)).reduce((a, b) -> b).orElseThrow();
        long peakMb = Long.parseLong(peakLine.substring(PeakMemoryMain.PEAK.length())) / 1024;
        System.out.printf("sit forward with the %s checkpoint: exit %d in %.1f s, peak resident %d MB%n", kind,
                child.exitValue(), seconds, peakMb);
        if (kind.equals("genuine")) {
            assertThat(child.exitValue()).as(output).isZero();
            return;
        }
        assertThat(child.exitValue()).as(output).isEqualTo(SitCommand.EXIT_INVALID);
        assertThat(output).contains(ckpt.toString()).contains(kind.equals("foreign-keys")
                ? "does not fit this model" : "refusing to unpack").doesNotContain("Exception");
        assertThat(seconds).as("seconds").isLessThan(6.0);
        assertThat(peakMb).as("peak resident MB").isLessThan(600);
        assertThat(out).doesNotExist();
    }

    /** YAML problems at the right position, in plain words; .nan is a float, refused as not finite. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "binary  | :1:5      | a binary file, not YAML text",
        "latin1  | :2:12     | not UTF-8 text (byte 0xe9",
        "tab     | :3:1      | TAB",
        "nan     | train.lr  | a finite number",
        "set     | --set model.size=SiT-Q/2 | is not a SiT size"})
    void experimentFileProblemsAreLocatedAndPlain(String name, String where, String words) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        List<String> args = new ArrayList<>(List.of("validate", file.toString()));
        switch (name) {
            case "binary" -> Files.write(file, new byte[] {'n', 'a', 'm', 'e', 0, 1, 2, (byte) 0xff});
            case "latin1" -> Files.write(file, "name: x\nmodel: {caf\u00e9: 1}\n".getBytes(StandardCharsets.ISO_8859_1));
            case "tab" -> Files.writeString(file, "name: x\nmodel:\n\tsize: SiT-S/2\n");
            case "nan" -> Files.writeString(file, "name: x\ntrain:\n  lr: .nan\n");
            case "set" -> {
                Files.writeString(file, "name: x\nmodel:\n  size: SiT-S/2\n");
                args.addAll(List.of("--set", "model.size=SiT-Q/2"));
            }
            default -> throw new IllegalArgumentException(name);
        }
        CommandLineRun run = sit(args);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(SitCommand.EXIT_INVALID);
        assertThat(run.err()).contains(where).contains(words).doesNotContain("Exception").doesNotContain("java.");
        if (name.equals("nan") || name.equals("set")) {
            assertThat(run.err()).doesNotContain("not valid YAML");
        }
        if (name.equals("set")) {
            assertThat(run.err()).doesNotContain(file + ":3");
        }
    }

    static Stream<Arguments> brokenCheckpointsUnderEachCommand() {
        List<Arguments> all = new ArrayList<>();
        for (String command : List.of("forward", "sample", "convert")) {
            all.add(Arguments.of(command, "truncated.pt", "truncated"));
            all.add(Arguments.of(command, "evil.pt", "refusing to unpickle global 'os.system'"));
            all.add(Arguments.of(command, "huge-header.safetensors", "header"));
        }
        return all.stream();
    }

    /** A corrupt or hostile checkpoint is the user's input: exit 2 under every command (already-working cases stay so). */
    @ParameterizedTest
    @MethodSource("brokenCheckpointsUnderEachCommand")
    void brokenCheckpointsExitTwoUnderEveryCommand(String command, String file, String words) throws IOException {
        Path ckpt = dir.resolve(file);
        switch (file) {
            case "truncated.pt" -> {
                byte[] full = Files.readAllBytes(golden("model.pt"));
                Files.write(ckpt, Arrays.copyOf(full, full.length / 2));
            }
            case "evil.pt" -> HostileCheckpoints.withGlobal(ckpt, "os", "system");
            default -> {
                // a safetensors header claiming a terabyte
                ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).put("{\"a\":1}".getBytes(StandardCharsets.US_ASCII));
                Files.write(ckpt, b.array());
            }
        }
        if (command.equals("convert") && file.endsWith(".safetensors")) {
            return; // convert reads .pt only
        }
        Path t = inputs("t.npy", Nd4j.createFromArray(0.25f, 0.5f));
        Set<Path> before = filesUnder(dir);
        List<String> args = switch (command) {
            case "forward" -> forward(ckpt, golden("z.npy"), t, golden("y.npy"), dir.resolve("out.npy"));
            case "sample" -> {
                List<String> a = new ArrayList<>(List.of("sample", "ODE"));
                a.addAll(List.of(SampleCommandTest.TINY));
                a.addAll(List.of("--ckpt", ckpt.toString(), "--labels", "3,7", "--num-sampling-steps", "2", "--decode",
                        "none", "--output", dir.resolve("g.png").toString()));
                yield a;
            }
            default -> List.of("convert", ckpt.toString(), dir.resolve("x.safetensors").toString());
        };
        assertRefused(args, SitCommand.EXIT_INVALID, before, ckpt.toString(), words);
    }
}
