package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sample.replicas} (--replicas): copies of the model sample shards of a grid side by side, and with
 * a fixed-grid solver the samples and trajectories are the same bytes as in one piece, also for shards of
 * unequal size.
 */
class SamplingReplicasTest {

    @TempDir
    Path dir;

    private Path[] sample(String mode, String replicas) {
        Path out = dir.resolve(mode + "-" + replicas + ".npy");
        Path trajectory = dir.resolve(mode + "-" + replicas + "-trajectory.npy");
        // a fixed-grid solver for the ODE (dopri5 measures its error over the whole batch)
        String method = mode.equals("ODE") ? "heun2" : "Euler";
        CommandLineRun run = CommandLineRun.of(SampleCommandTest.args(SampleCommandTest.tiny(mode,
                "--labels", "3,7,1,0,9", "--num-sampling-steps", "4", "--seed", "2", "--cfg-scale", "2",
                "--sampling-method", method, "--replicas", replicas), "--save-npy", out.toString(),
                "--save-trajectory", trajectory.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        return new Path[] {out, trajectory};
    }

    @Test
    void anOdeGridInShardsIsTheSameBytes() throws Exception {
        sameBytes("ODE");
    }

    @Test
    void anSdeGridInShardsMeetsTheSameNoiseAndIsTheSameBytes() throws Exception {
        sameBytes("SDE");
    }

    private void sameBytes(String mode) throws Exception {
        Path[] one = sample(mode, "1");
        for (String replicas : new String[] {"2", "3", "8"}) {
            Path[] shards = sample(mode, replicas);
            for (int i = 0; i < 2; i++) {
                assertThat(Files.exists(shards[i])).as(shards[i].toString()).isTrue();
                assertThat(Files.mismatch(shards[i], one[i])).as("%s, %s replicas: first differing byte of %s", mode,
                        replicas, shards[i].getFileName()).isEqualTo(-1L);
            }
        }
    }
}
