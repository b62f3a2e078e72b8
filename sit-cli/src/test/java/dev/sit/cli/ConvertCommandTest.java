package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.core.io.SafetensorsFile;
import dev.sit.core.io.TorchCheckpoint;
import dev.sit.core.io.TorchCheckpointReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;

class ConvertCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = SitCommand.withErrorContract(new CommandLine(new ConvertCommand()));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    /** The golden training checkpoint, from sit-core's test resources. */
    private Path goldenCheckpoint() throws IOException {
        Path p = tmp.resolve("0000002.pt");
        try (InputStream in = ConvertCommandTest.class.getResourceAsStream("/golden/train-checkpoint/0000002.pt")) {
            assertThat(in).as("sit-core test resource golden/train-checkpoint/0000002.pt").isNotNull();
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void convertsEmaByDefaultAndModelOnRequest() throws IOException {
        Path in = goldenCheckpoint();
        TorchCheckpoint ckpt = TorchCheckpointReader.read(in);
        Path ema = tmp.resolve("ema.safetensors");
        assertThat(run(in.toString(), ema.toString())).isZero();
        assertSame(SafetensorsFile.read(ema), ckpt.ema().orElseThrow());
        assertThat(SafetensorsFile.readMetadata(ema)).containsEntry("weights", "ema").containsEntry("format", "pt");
        assertThat(out.toString()).contains("pos_embed").contains("[1, 16, 64]")
                .contains("32 tensors").contains("ema weights");
        long params = ckpt.model().values().stream().mapToLong(INDArray::length).sum();
        assertThat(out.toString()).contains(String.format("%,d parameters", params));

        Path model = tmp.resolve("model.safetensors");
        assertThat(run("--weights", "model", "--quiet", in.toString(), model.toString())).isZero();
        assertSame(SafetensorsFile.read(model), ckpt.model());
        assertThat(SafetensorsFile.readMetadata(model)).containsEntry("weights", "model");
    }

    @Test
    void badFilesGiveExitCode2AndOneLine() throws IOException {
        Path cut = tmp.resolve("cut.pt");
        byte[] full = Files.readAllBytes(goldenCheckpoint());
        Files.write(cut, Arrays.copyOf(full, full.length / 2));
        Path outFile = tmp.resolve("x.safetensors");
        assertThat(run(cut.toString(), outFile.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("sit convert: error: ").contains("truncated").doesNotContain("\n")
                .doesNotContain("Exception");
        assertThat(outFile).doesNotExist();

        StringWriter before = new StringWriter();
        before.write(err.toString());
        assertThat(run(tmp.resolve("missing.pt").toString(), outFile.toString())).isEqualTo(2);
        assertThat(err.toString().substring(before.toString().length())).contains("no such file");
    }

    private static void assertSame(Map<String, INDArray> actual, Map<String, INDArray> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((k, v) -> assertThat(actual.get(k)).as(k).isEqualTo(v));
    }
}
