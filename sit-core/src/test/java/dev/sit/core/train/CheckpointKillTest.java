package dev.sit.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Killing the process at any moment never leaves an unreadable latest checkpoint. */
class CheckpointKillTest {

    @TempDir
    Path dir;

    @Test
    void theLatestCheckpointSurvivesSigkillAtRandomMoments() throws Exception {
        Random random = new Random(3);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long previous = 0;
        for (int round = 0; round < 4; round++) {
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    CheckpointWriterProcess.class.getName(), dir.toString())
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
            // wait until it has written a couple, then kill it mid-way through another write
            String line;
            int written = 0;
            while ((line = out.readLine()) != null && written < 2) {
                if (line.startsWith("wrote")) {
                    written++;
                }
            }
            Thread.sleep(random.nextInt(120));
            child.destroyForcibly().waitFor();

            Path latest = new CheckpointStore(dir, 2).latest().orElseThrow();
            CheckpointStore.Checkpoint checkpoint = CheckpointStore.read(latest);
            long step = checkpoint.state().step();
            assertThat(step).isPositive();
            for (INDArray w : checkpoint.model().values()) {
                assertThat(w.minNumber().doubleValue()).isEqualTo(step);
                assertThat(w.maxNumber().doubleValue()).isEqualTo(step);
            }
            assertThat(checkpoint.experimentYaml()).isEqualTo("step: " + step + "\n");
            // each round starts over at step 1 in the same folder; what matters is that it is complete
            previous = step;
        }
        assertThat(previous).isPositive();
    }
}
