package dev.sit.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Quantisation, grids, sample PNGs and the evaluation .npz. */
class ImageOutputTest {

    @TempDir
    Path tmp;

    /** x such that 127.5 x + 128 = v + 0.25: quantises to v under both conventions. */
    static INDArray imagesFor(int[] values, long... shape) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) ((values[i] - 127.75) / 127.5);
        }
        return Nd4j.create(f, shape, 'c');
    }

    @Test
    void admQuantizationIsClampOf127Point5XPlus128ThenTruncation() {
        INDArray x = Nd4j.createFromArray(new float[] {-1f, 0f, 1f, 0.5f, -0.999f, 2f, -2f, Float.NaN, 0.9961f})
                .reshape(1, 1, 1, 9);
        byte[] q = Quantization.ADM_SAMPLES.toNhwc(x);
        int[] expected = {0, 128, 255, 191, 0, 255, 0, 0, 255};
        // 0.9961 -> 255.0027 -> 255 ; 0.5 -> 191.75 -> 191 (truncation, not rounding)
        for (int i = 0; i < expected.length; i++) {
            assertThat(q[i] & 0xFF).as("x = %s", x.getFloat(i)).isEqualTo(expected[i]);
        }
        byte[] s = Quantization.SAVE_IMAGE.toNhwc(x);
        int[] expectedSave = {0, 128, 255, 191, 0, 255, 0, 0, 255};
        for (int i = 0; i < expectedSave.length; i++) {
            assertThat(s[i] & 0xFF).isEqualTo(expectedSave[i]);
        }
    }

    @Test
    void quantizationOutputIsChannelsLast() {
        // (1, 3, 1, 2): channel c, column w has value 10 * c + w
        INDArray x = imagesFor(new int[] {0, 1, 10, 11, 20, 21}, 1, 3, 1, 2);
        byte[] q = Quantization.ADM_SAMPLES.toNhwc(x);
        assertThat(q).containsExactly(0, 10, 20, 1, 11, 21);
    }

    static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Test
    void gridLaysImagesOutRowByRowWithPaddingLikeMakeGrid() throws IOException {
        int n = 5;
        int c = 3;
        int h = 2;
        int w = 3;
        int[] v = new int[n * c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1 + (i * 7) % 250;
        }
        INDArray batch = imagesFor(v, n, c, h, w);
        PngImage png = ImageGrid.withColumns(2).png(batch);
        assertThat(png.width()).isEqualTo(2 * (w + 2) + 2);
        assertThat(png.height()).isEqualTo(3 * (h + 2) + 2);
        BufferedImage img = decode(png.png());
        int[] px = new int[3];
        for (int k = 0; k < n; k++) {
            int x0 = 2 + (k % 2) * (w + 2);
            int y0 = 2 + (k / 2) * (h + 2);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    img.getRaster().getPixel(x0 + x, y0 + y, px);
                    for (int ch = 0; ch < c; ch++) {
                        assertThat(px[ch]).isEqualTo(v[((k * c + ch) * h + y) * w + x]);
                    }
                }
            }
        }
        // padding and the empty sixth slot are black
        assertThat(img.getRaster().getPixel(0, 0, px)).containsExactly(0, 0, 0);
        assertThat(img.getRaster().getPixel(2 + w + 2, 2 + 2 * (h + 2), px)).containsExactly(0, 0, 0);
        assertThat(img.getRaster().getPixel(2 + w, 2, px)).containsExactly(0, 0, 0);
    }

    @Test
    void oneChannelGivesAGrayPngAndFourChannelsAreRejected() throws IOException {
        INDArray gray = imagesFor(new int[] {0, 50, 100, 255}, 1, 1, 2, 2);
        BufferedImage img = decode(new ImageGrid(4, 0, 0, Quantization.SAVE_IMAGE).png(gray).png());
        assertThat(img.getRaster().getNumBands()).isEqualTo(1);
        assertThat(img.getRaster().getPixels(0, 0, 2, 2, (int[]) null)).containsExactly(0, 50, 100, 255);
        assertThatThrownBy(() -> ImageGrid.withColumns(4).png(Nd4j.zeros(DataType.FLOAT, 2, 4, 8, 8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latents");
    }

    @Test
    void sampleFilesAreNamedByIndexAndResumeCountsTheUnbrokenRun() throws IOException {
        int[] v = new int[4 * 3 * 2 * 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 11) % 256;
        }
        INDArray batch = imagesFor(v, 4, 3, 2, 2);
        List<Path> later = PngWriter.writeSamples(batch, tmp, 6);
        assertThat(later).extracting(p -> p.getFileName().toString())
                .containsExactly("000006.png", "000007.png", "000008.png", "000009.png");
        assertThat(PngWriter.countExisting(tmp)).isZero();
        PngWriter.writeSamples(batch, tmp, 0);
        PngWriter.writeSamples(batch.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)), tmp, 4);
        assertThat(PngWriter.countExisting(tmp)).isEqualTo(10);
        Uint8Image third = ImageDecoder.readRgb(tmp.resolve("000008.png"));
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(third.get(x, y, c)).isEqualTo(v[((2 * 3 + c) * 2 + y) * 2 + x]);
                }
            }
        }
        try (var files = Files.list(tmp)) {
            assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ImageOutputTest.class.getResourceAsStream("/golden/numpy-npz/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The values numpy's fixture holds: (i * 37) % 256 over (2, 4, 5, 3) in C order. */
    static int fixtureValue(int i) {
        return (i * 37) % 256;
    }

    @Test
    void npzMemberIsByteForByteWhatNumpySavezWrites() throws IOException {
        Path out = tmp.resolve("samples.npz");
        try (NpzWriter writer = new NpzWriter(out, 4, 5)) {
            for (int k = 0; k < 2; k++) {
                byte[] px = new byte[4 * 5 * 3];
                for (int i = 0; i < px.length; i++) {
                    px[i] = (byte) fixtureValue(k * px.length + i);
                }
                writer.append(new Uint8Image(5, 4, 3, px));
            }
            assertThat(Files.exists(out)).isFalse();
        }
        Map<String, byte[]> mine = NpzReader.rawMembers(out);
        assertThat(mine.keySet()).containsExactly("arr_0.npy");
        assertThat(mine.get("arr_0.npy")).isEqualTo(resource("arr_0.npy"));
        try (var zip = new java.util.zip.ZipFile(out.toFile())) {
            assertThat(zip.getEntry("arr_0.npy").getMethod()).isEqualTo(java.util.zip.ZipEntry.STORED);
        }
    }

    @Test
    void npzFromFloatBatchesAndFromASampleFolderMatchNumpysArray() throws IOException {
        int[] nchw = new int[2 * 3 * 4 * 5];
        // fixture is NHWC: value at (n, h, w, c) = fixtureValue(((n * 4 + h) * 5 + w) * 3 + c)
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                for (int h = 0; h < 4; h++) {
                    for (int w = 0; w < 5; w++) {
                        nchw[((n * 3 + c) * 4 + h) * 5 + w] = fixtureValue(((n * 4 + h) * 5 + w) * 3 + c);
                    }
                }
            }
        }
        INDArray batch = imagesFor(nchw, 2, 3, 4, 5);
        Path direct = tmp.resolve("direct.npz");
        try (NpzWriter writer = new NpzWriter(direct, 4, 5)) {
            writer.append(batch);
        }
        assertThat(NpzReader.rawMembers(direct).get("arr_0.npy")).isEqualTo(resource("arr_0.npy"));

        Path folder = tmp.resolve("samples");
        PngWriter.writeSamples(batch, folder, 0);
        Path packed = NpzWriter.fromSampleFolder(folder, 2);
        assertThat(packed.getFileName().toString()).isEqualTo("samples.npz");
        assertThat(NpzReader.rawMembers(packed).get("arr_0.npy")).isEqualTo(resource("arr_0.npy"));

        Path numpys = tmp.resolve("numpy.npz");
        Files.write(numpys, resource("samples.npz"));
        INDArray arr = NpzReader.read(numpys).get("arr_0");
        assertThat(arr.shape()).containsExactly(2, 4, 5, 3);
        assertThat(arr.getInt(1, 3, 4, 2)).isEqualTo(fixtureValue(((4 + 3) * 5 + 4) * 3 + 2));
    }

    @Test
    void grayImagesAreReplicatedToRgbInTheNpz() throws IOException {
        Path out = tmp.resolve("gray.npz");
        try (NpzWriter writer = new NpzWriter(out, 1, 2)) {
            writer.append(imagesFor(new int[] {7, 200}, 1, 1, 1, 2));
        }
        INDArray arr = NpzReader.read(out).get("arr_0");
        assertThat(arr.shape()).containsExactly(1, 1, 2, 3);
        assertThat(arr.castTo(DataType.INT).data().asInt()).containsExactly(7, 7, 7, 200, 200, 200);
    }
}
