package dev.sit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.cli.SitCommand;
import dev.sit.core.engine.ClusterMassSampling;
import dev.sit.core.image.NpzReader;
import dev.sit.core.train.TinySetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark in local mode in the same JVM as ND4J, Guice and Jackson (the engine's): sharded mass
 * sampling gives the bytes of a single-process run, for any batch size, partitioning and resume.
 */
class SparkMassSamplingTest {

    private static final String[] PIXEL = {"--hidden-size", "32", "--depth", "1", "--num-heads", "2", "--patch-size", "2",
        "--image-size", "8", "--in-channels", "3", "--num-classes", "5"};

    @TempDir
    Path dir;

    @Test
    void sparkLocal2WritesTheArchiveOfTheSingleProcessRunForEveryBatchSize() throws Exception {
        Path ckpt = TinySetup.pixelModel(dir);
        for (String mode : List.of("ODE", "SDE")) {
            byte[] local4 = sample(ckpt, mode, "4", dir.resolve(mode + "-local-4"), null);
            byte[] local8 = sample(ckpt, mode, "8", dir.resolve(mode + "-local-8"), null);
            Path sparkDir = dir.resolve(mode + "-spark-4");
            // a failed attempt's leftovers in a staging folder must not reach the folder or the archive
            Path folder = sparkDir.resolve(folderName(mode));
            Files.createDirectories(folder.resolve(".partition-000000000"));
            Files.write(folder.resolve(".partition-000000000/000000.png"), new byte[] {1, 2, 3});
            byte[] spark4 = sample(ckpt, mode, "4", sparkDir, "local[2]");
            assertThat(Arrays.equals(spark4, local4)).as("%s: --spark local[2] = single process", mode).isTrue();
            assertThat(Arrays.equals(local8, local4)).as("%s: batch 8 = batch 4", mode).isTrue();
            try (Stream<Path> entries = Files.list(folder)) {
                assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".partition-"));
            }

            // resuming on Spark after images went missing in the middle resamples only those batches
            Files.delete(folder.resolve("000005.png"));
            Files.delete(folder.resolve("000013.png"));
            Files.delete(folder.resolveSibling(folder.getFileName() + ".npz"));
            byte[] resumed = sample(ckpt, mode, "4", sparkDir, "local[2]");
            assertThat(Arrays.equals(resumed, local4)).as("%s: resumed on Spark", mode).isTrue();

            // a folder started by a single process resumes on Spark: the settings agree
            Path localFolder = dir.resolve(mode + "-local-4").resolve(folderName(mode));
            Files.delete(localFolder.resolve("000009.png"));
            Files.delete(localFolder.resolveSibling(localFolder.getFileName() + ".npz"));
            byte[] crossed = sample(ckpt, mode, "4", dir.resolve(mode + "-local-4"), "local[2]");
            assertThat(Arrays.equals(crossed, local4)).as("%s: single-process folder resumed on Spark", mode).isTrue();
        }
    }

    @Test
    void aTaskThatFailsMidwayIsRetriedAndItsPartialFilesNeverReachTheArchive() throws Exception {
        Path ckpt = TinySetup.pixelModel(dir);
        byte[] local = sample(ckpt, "ODE", "4", dir.resolve("local"), null);
        Path folder = dir.resolve("spark").resolve(folderName("ODE"));
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        SampleRangeTask.probe = (partition, batch, attempt) -> {
            if (partition == 0) {
                seen.add(attempt + ":" + batch);
            }
            if (partition == 0 && attempt == 0) {
                try (Stream<Path> staged = Files.list(ClusterMassSampling.stagingFolder(folder, 0))) {
                    seen.add("staged " + staged.count());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                throw new IllegalStateException("injected: the executor died after staging a batch");
            }
        };
        byte[] retried;
        try {
            // local[2,2]: two cores, each task gets two attempts
            retried = sample(ckpt, "ODE", "4", dir.resolve("spark"), "local[2,2]");
        } finally {
            SampleRangeTask.probe = null;
        }
        // the first attempt of partition 0 staged its first batch (4 images), then died; the retry redid it
        assertThat(seen).containsExactly("0:0", "staged 4", "1:0");
        assertThat(Arrays.equals(retried, local)).as("retried on Spark = single process").isTrue();
        try (Stream<Path> entries = Files.list(folder)) {
            assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".partition-"));
        }
    }

    @Test
    void partitionsAreWholeBatchesCoveringTheMissingRange() {
        List<long[]> p = SparkMassSampling.partitions(8, 30, 4, 3);
        // 22 images from 8 = 6 batches (the last one short) in 3 partitions of 2 batches
        assertThat(p).containsExactly(new long[] {8, 16}, new long[] {16, 24}, new long[] {24, 30});
        assertThat(SparkMassSampling.partitions(0, 16, 4, 8)).hasSize(4);
        assertThat(SparkMassSampling.partitions(16, 16, 4, 8)).isEmpty();
    }

    @Test
    void sparksDependenciesResolveToTheEnginesJacksonAndGuava() {
        // Maven mediation picks one version per artifact; these are the ones the engine was built with
        assertThat(com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString())
                .isEqualTo(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        assertThat(com.fasterxml.jackson.dataformat.yaml.PackageVersion.VERSION.toString())
                .isEqualTo(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        assertThat(com.fasterxml.jackson.module.scala.JacksonModule.class.getPackage().getImplementationVersion())
                .isIn(null, com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
    }

    @Test
    void sparkRefusesGridSampling() {
        assertThat(SitCommand.execute("sample", "ODE", "--spark", "local[2]", "--model", "SiT-S/2")).isEqualTo(2);
    }

    private static byte[] sample(Path ckpt, String mode, String batch, Path sampleDir, String spark) throws Exception {
        List<String> args = new ArrayList<>(List.of("sample", mode));
        args.addAll(List.of(PIXEL));
        args.addAll(List.of("--ckpt", ckpt.toString(), "--num-sampling-steps", "3", "--num-fid-samples", "16",
                "--per-proc-batch-size", batch, "--seed", "5", "--sample-dir", sampleDir.toString()));
        if (mode.equals("ODE")) {
            args.addAll(List.of("--sampling-method", "euler"));
        }
        if (spark != null) {
            args.addAll(List.of("--spark", spark));
        }
        assertThat(SitCommand.execute(args.toArray(new String[0]))).as(String.join(" ", args)).isZero();
        Path npz = sampleDir.resolve(folderName(mode) + ".npz");
        return NpzReader.rawMembers(npz).get("arr_0.npy");
    }

    private static String folderName(String mode) {
        return "SiT-D32-L1-P2-pixels-size-8-cfg-1.0-seed-5-" + mode + "-" + (mode.equals("ODE") ? "euler" : "Euler") + "-3";
    }

}
