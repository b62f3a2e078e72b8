package dev.sit.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sit.api.data.Batch;
import dev.sit.api.data.Dataset;
import dev.sit.api.data.DatasetContext;
import dev.sit.core.image.PilResampler;
import dev.sit.core.image.Uint8Image;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class FashionMnistSourceTest {

    @TempDir
    Path tmp;

    static byte[] idx(int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x0800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    static void write(Path file, byte[] content, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
    }

    /** Pixel (r, c) of image i is (i * 50 + r * 3 + c) % 256. */
    static byte[] pixels(int n) {
        byte[] p = new byte[n * 28 * 28];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    p[(i * 28 + r) * 28 + c] = (byte) ((i * 50 + r * 3 + c) % 256);
                }
            }
        }
        return p;
    }

    void writeSplit(String prefix, int n, boolean gzip) throws IOException {
        String gz = gzip ? ".gz" : "";
        write(tmp.resolve(prefix + "-images-idx3-ubyte" + gz), idx(new int[] {n, 28, 28}, pixels(n)), gzip);
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) ((i * 3) % 10);
        }
        write(tmp.resolve(prefix + "-labels-idx1-ubyte" + gz), idx(new int[] {n}, labels), gzip);
    }

    @Test
    void readsGzippedAndPlainIdxAndPadsTo32() throws Exception {
        writeSplit("train", 4, true);
        writeSplit("t10k", 3, false);
        Dataset train = new FashionMnistSource(new FashionMnistOptions(tmp.toString(), null, null))
                .open(new DatasetContext(tmp, 0, 0));
        Dataset test = new FashionMnistSource(new FashionMnistOptions(tmp.toString(), "test", "pad"))
                .open(new DatasetContext(tmp, 32, 0));
        assertThat(train.size()).isEqualTo(4);
        assertThat(test.size()).isEqualTo(3);
        assertThat(train.exampleShape()).containsExactly(1, 32, 32);
        assertThat(train.classNames().get(9)).isEqualTo("Ankle boot");
        Batch b = train.load(new long[] {3, 1}, 0);
        assertThat(b.y().toLongVector()).containsExactly(9, 3);
        INDArray x = b.x();
        assertThat(x.shape()).containsExactly(2, 1, 32, 32);
        // centred: stored (r, c) lands at (r + 2, c + 2); the border is black (-1)
        assertThat(x.getDouble(0, 0, 2 + 5, 2 + 7)).isCloseTo((150 + 15 + 7) / 127.5 - 1, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(x.getDouble(1, 0, 2, 2)).isCloseTo(50 / 127.5 - 1, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(x.getDouble(0, 0, 0, 0)).isEqualTo(-1.0);
        assertThat(x.getDouble(0, 0, 31, 31)).isEqualTo(-1.0);
        assertThat(x.getDouble(0, 0, 29, 29)).isCloseTo(((150 + 27 * 3 + 27) % 256) / 127.5 - 1, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void resizeUsesPillowBicubic() throws Exception {
        writeSplit("train", 2, false);
        Dataset data = new FashionMnistSource(new FashionMnistOptions(tmp.toString(), "train", "resize"))
                .open(new DatasetContext(tmp, 32, 0));
        INDArray x = data.load(new long[] {1}, 0).x();
        byte[] one = java.util.Arrays.copyOfRange(pixels(2), 28 * 28, 2 * 28 * 28);
        Uint8Image expected = PilResampler.resize(new Uint8Image(28, 28, 1, one), 32, 32, PilResampler.Filter.BICUBIC);
        for (int r = 0; r < 32; r += 5) {
            for (int c = 0; c < 32; c += 3) {
                assertThat(x.getDouble(0, 0, r, c)).isCloseTo(expected.get(c, r, 0) / 127.5 - 1, org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    @Test
    void missingFilesSayHowToGetThem() {
        assertThatThrownBy(() -> new FashionMnistSource(new FashionMnistOptions(tmp.toString(), null, null))
                .open(new DatasetContext(tmp, 32, 0)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("apt-get install dataset-fashion-mnist")
                .hasMessageContaining("folder")
                .hasMessageContaining("train-images-idx3-ubyte");
    }

    @Test
    void badOptionsAndTruncatedFilesAreClearErrors() throws IOException {
        assertThatThrownBy(() -> new FashionMnistOptions(null, "validation", null)).hasMessageContaining("train or test");
        assertThatThrownBy(() -> new FashionMnistOptions(null, null, "crop")).hasMessageContaining("pad or resize");
        byte[] full = idx(new int[] {2, 28, 28}, pixels(2));
        Path cut = tmp.resolve("cut");
        Files.write(cut, java.util.Arrays.copyOf(full, full.length - 10));
        assertThatThrownBy(() -> IdxFile.read(cut)).hasMessageContaining("truncated").hasMessageContaining("cut");
    }

    @Test
    void readsTheDebianPackageWhenInstalled() throws Exception {
        Path folder = Path.of(FashionMnistOptions.DEFAULT_FOLDER);
        assumeTrue(Files.isRegularFile(folder.resolve("train-images-idx3-ubyte.gz")),
                "dataset-fashion-mnist is not installed");
        Dataset train = new FashionMnistSource(new FashionMnistOptions(null, "train", null)).open(new DatasetContext(tmp, 32, 0));
        Dataset test = new FashionMnistSource(new FashionMnistOptions(null, "test", null)).open(new DatasetContext(tmp, 32, 0));
        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        Batch b = train.load(new long[] {0, 59_999}, 0);
        assertThat(b.y().getLong(0)).isEqualTo(9); // the first training image is an ankle boot
        assertThat(b.x().minNumber().doubleValue()).isEqualTo(-1.0);
        assertThat(b.x().maxNumber().doubleValue()).isGreaterThan(0.5).isLessThanOrEqualTo(1.0);
        assertThat(test.load(new long[] {0}, 0).y().getLong(0)).isEqualTo(9);
    }
}
