package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.core.image.ImageDecoder;
import dev.sit.core.image.NpzReader;
import dev.sit.core.image.Uint8Image;
import dev.sit.core.train.TinySetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import picocli.CommandLine;

/** {@code sit sample --num-fid-samples}: PNG folder + ADM .npz; an interrupted run resumes to the same images. */
class MassSamplingTest {

    @TempDir
    Path dir;

    private String[] massArgs(Path ckpt, Path sampleDir, String... more) {
        List<String> all = new ArrayList<>(List.of("ODE"));
        all.addAll(List.of(SampleCommandTest.PIXEL));
        all.addAll(List.of("--ckpt", ckpt.toString(), "--sampling-method", "euler", "--num-sampling-steps", "3",
                "--num-fid-samples", "10", "--per-proc-batch-size", "4", "--seed", "7", "--sample-dir", sampleDir.toString()));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    private static int sample(int stopAfter, String... args) {
        SampleCommand command = new SampleCommand();
        command.stopMassSamplingAfter = stopAfter;
        return new CommandLine(command).execute(args);
    }

    private static Path onlyFolder(Path parent) throws Exception {
        try (Stream<Path> s = Files.list(parent)) {
            List<Path> dirs = s.filter(Files::isDirectory).toList();
            assertThat(dirs).hasSize(1);
            return dirs.get(0);
        }
    }

    @Test
    void anExperimentsGridEntryLendsItsSamplerButNotItsLabelsToMassSampling() throws Exception {
        Path ckpt = TinySetup.pixelModel(dir);
        Path experiment = dir.resolve("grid.yaml");
        // a sit run experiment whose ODE entry is a labelled grid, as the quickstart's
        Files.writeString(experiment, """
                name: grid
                sample:
                  - {mode: ODE, method: euler, num_steps: 3, labels: [0, 1, 2, 3], save_npy: true}
                """);
        List<String> args = new ArrayList<>(List.of(massArgs(ckpt, dir.resolve("e"), "--experiment", experiment.toString())));
        assertThat(sample(Integer.MAX_VALUE, args.toArray(new String[0]))).isZero();
        Path folder = onlyFolder(dir.resolve("e"));
        assertThat(pngs(folder)).hasSize(10);
        assertThat(folder.resolveSibling(folder.getFileName() + ".npz")).isRegularFile();
    }

    @Test
    void anInterruptedRunResumesWithoutRewritingAndEndsWithTheSameImages() throws Exception {
        Path ckpt = TinySetup.pixelModel(dir);
        assertThat(sample(Integer.MAX_VALUE, massArgs(ckpt, dir.resolve("a")))).isZero();
        Path a = onlyFolder(dir.resolve("a"));

        // interrupted after 2 of 3 batches, the last image of batch 2 lost mid-write
        assertThat(sample(2, massArgs(ckpt, dir.resolve("b")))).isZero();
        Path b = onlyFolder(dir.resolve("b"));
        assertThat(pngs(b)).hasSize(8);
        assertThat(b.resolveSibling(b.getFileName() + ".npz")).doesNotExist();
        Files.delete(b.resolve("000007.png"));
        Map<String, Object> keys = new HashMap<>();
        for (int i = 0; i < 7; i++) {
            keys.put(name(i), Files.readAttributes(b.resolve(name(i)), BasicFileAttributes.class).fileKey());
        }

        assertThat(sample(Integer.MAX_VALUE, massArgs(ckpt, dir.resolve("b")))).isZero();
        assertThat(pngs(b)).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(java.util.Arrays.equals(Files.readAllBytes(b.resolve(name(i))), Files.readAllBytes(a.resolve(name(i)))))
                    .as("%s equals the uninterrupted run's", name(i)).isTrue();
        }
        for (int i = 0; i < 7; i++) {
            assertThat(Files.readAttributes(b.resolve(name(i)), BasicFileAttributes.class).fileKey())
                    .as("finished image %s is never rewritten", name(i)).isEqualTo(keys.get(name(i)));
        }
        Path npzA = a.resolveSibling(a.getFileName() + ".npz");
        Path npzB = b.resolveSibling(b.getFileName() + ".npz");
        // the same arr_0.npy member, byte for byte (the ZIP entry's time stamp is the writing time)
        assertThat(NpzReader.rawMembers(npzB).keySet()).containsExactly("arr_0.npy");
        assertThat(java.util.Arrays.equals(NpzReader.rawMembers(npzB).get("arr_0.npy"),
                NpzReader.rawMembers(npzA).get("arr_0.npy"))).isTrue();

        // the ADM suite's input: arr_0 uint8 (N, H, W, 3), image i = i-th PNG
        INDArray arr = NpzReader.read(npzA).get("arr_0");
        assertThat(arr.shape()).isEqualTo(new long[] {10, 8, 8, 3});
        assertThat(arr.dataType()).isEqualTo(DataType.UBYTE);
        Uint8Image third = ImageDecoder.readRgb(a.resolve(name(3)));
        byte[] fromNpz = new byte[8 * 8 * 3];
        INDArray slice = arr.get(NDArrayIndex.point(3)).dup('c').castTo(DataType.INT);
        int[] values = slice.data().asInt();
        for (int i = 0; i < values.length; i++) {
            fromNpz[i] = (byte) values[i];
        }
        assertThat(fromNpz).isEqualTo(third.pixels());
        // the images are samples of different noise and labels, not copies
        assertThat(Files.readAllBytes(a.resolve(name(0)))).isNotEqualTo(Files.readAllBytes(a.resolve(name(1))));
        assertThat(Files.readAllBytes(a.resolve(name(0)))).isNotEqualTo(Files.readAllBytes(a.resolve(name(4))));
    }

    @Test
    void withAFixedGridSolverTheArchiveDoesNotDependOnTheBatchSize() throws Exception {
        Path ckpt = TinySetup.pixelModel(dir);
        for (String mode : List.of("ODE", "SDE")) {
            byte[] one = fixedGridArchive(ckpt, mode, "16", "4", "1");
            for (String batch : List.of("8", "3")) {
                assertThat(fixedGridArchive(ckpt, mode, "16", batch, "1")).as("%s batch %s gives the same arr_0", mode, batch)
                        .isEqualTo(one);
            }
        }
    }

    @Test
    void batchesSampledInShardsSideBySideGiveTheSameArchive() throws Exception {
        Path ckpt = TinySetup.pixelModel(dir);
        for (String mode : List.of("ODE", "SDE")) {
            // 3 replicas cut the batch of 8 into shards of 2, 3 and 3 rows, and the last batch of 2 into two of 1
            assertThat(fixedGridArchive(ckpt, mode, "10", "8", "3")).as("%s with 3 replicas gives the same arr_0", mode)
                    .isEqualTo(fixedGridArchive(ckpt, mode, "10", "8", "1"));
        }
    }

    /** The raw arr_0 of n samples with a fixed-grid solver (ODE euler, SDE Euler), batch size and replicas as given. */
    private byte[] fixedGridArchive(Path ckpt, String mode, String n, String batch, String replicas) throws Exception {
        Path sampleDir = dir.resolve(String.join("-", mode, n, batch, replicas));
        List<String> args = new ArrayList<>(List.of(mode));
        args.addAll(List.of(SampleCommandTest.PIXEL));
        args.addAll(List.of("--ckpt", ckpt.toString(), "--num-sampling-steps", "3", "--num-fid-samples", n,
                "--per-proc-batch-size", batch, "--replicas", replicas, "--seed", "5", "--sample-dir", sampleDir.toString()));
        if (mode.equals("ODE")) {
            args.addAll(List.of("--sampling-method", "euler"));
        }
        assertThat(sample(Integer.MAX_VALUE, args.toArray(new String[0]))).isZero();
        Path folder = onlyFolder(sampleDir);
        return NpzReader.rawMembers(folder.resolveSibling(folder.getFileName() + ".npz")).get("arr_0.npy");
    }

    @Test
    void resumingWithOtherSettingsIsRefused() throws Exception {
        Path ckpt = TinySetup.pixelModel(dir);
        assertThat(sample(1, massArgs(ckpt, dir.resolve("c")))).isZero();
        CommandLineRun run = CommandLineRun.of(Stream.concat(Stream.of("sample"),
                Stream.of(massArgs(ckpt, dir.resolve("c"), "--path-type", "GVP"))).toArray(String[]::new));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("holds samples of other settings").contains("GVP");
    }

    @Test
    void sdeMassSamplingWritesTheFolderAndArchiveAndReportsProgress() throws Exception {
        Path ckpt = TinySetup.pixelModel(dir);
        List<String> args = new ArrayList<>(List.of("sample", "SDE"));
        args.addAll(List.of(SampleCommandTest.PIXEL));
        args.addAll(List.of("--ckpt", ckpt.toString(), "--num-sampling-steps", "3", "--num-fid-samples", "3",
                "--per-proc-batch-size", "2", "--sample-dir", dir.resolve("s").toString()));
        CommandLineRun run = CommandLineRun.of(args.toArray(new String[0]));
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path folder = onlyFolder(dir.resolve("s"));
        assertThat(pngs(folder)).hasSize(3);
        assertThat(NpzReader.read(folder.resolveSibling(folder.getFileName() + ".npz")).get("arr_0").shape())
                .isEqualTo(new long[] {3, 8, 8, 3});
        assertThat(run.err()).contains("3/3").contains("images/s").contains("NFE 3 per batch of 2")
                .contains("each batch of 2: NFE 3 (2 steps accepted, 0 rejected)");
    }

    @Test
    void latentModelsCannotBeMassSampledWithoutTheVae() {
        List<String> args = new ArrayList<>(List.of(SampleCommandTest.tiny("ODE")));
        args.addAll(List.of("--num-fid-samples", "2", "--sample-dir", dir.toString()));
        CommandLineRun run = CommandLineRun.of(args.toArray(new String[0]));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("4-channel latents").contains("VAE");
    }

    private static String name(int i) {
        return String.format("%06d.png", i);
    }

    private static List<Path> pngs(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().matches("\\d{6}\\.png")).toList();
        }
    }
}
