package dev.sit.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sit.api.data.Batch;
import dev.sit.api.data.DatasetContext;
import dev.sit.core.image.AdmCenterCrop;
import dev.sit.core.image.ImageDecoder;
import dev.sit.core.image.Uint8Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ImageFolderSourceTest {

    @TempDir
    Path root;

    static void writeImage(Path file, int w, int h, int seed, String format) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int red = (x * 255) / w;
                int green = (y * 255) / h;
                int blue = r.nextInt(256);
                img.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, format, file.toFile());
    }

    @BeforeEach
    void tree() throws IOException {
        // classes sort as bird, cat, dog; files inside a class by (folder, name)
        writeImage(root.resolve("dog/b.png"), 40, 30, 1, "png");
        writeImage(root.resolve("dog/a.JPEG"), 50, 64, 2, "jpeg");
        writeImage(root.resolve("cat/x.png"), 33, 20, 3, "png");
        writeImage(root.resolve("cat/sub/y.jpg"), 70, 45, 4, "jpeg");
        writeImage(root.resolve("bird/z.png"), 16, 16, 5, "png");
        Files.writeString(root.resolve("cat/notes.txt"), "not an image");
    }

    ImageFolderDataset open(Boolean flip, Double maxBad) throws IOException {
        return (ImageFolderDataset) new ImageFolderSource(new ImageFolderOptions(".", null, flip, 2, 2, maxBad))
                .open(new DatasetContext(root, 16, 0));
    }

    static float[] expected(Path file, int size, boolean flip) throws IOException {
        Uint8Image img = AdmCenterCrop.apply(ImageDecoder.readRgb(file), size);
        if (flip) {
            img = img.flipHorizontal();
        }
        float[] out = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    out[(c * size + y) * size + x] = (float) (img.get(x, y, c) / 127.5 - 1);
                }
            }
        }
        return out;
    }

    static float[] example(Batch b, int k) {
        return b.x().get(NDArrayIndex.point(k)).dup('c').data().asFloat();
    }

    @Test
    void classesAndOrderFollowTorchvisionImageFolder() throws Exception {
        try (ImageFolderDataset data = open(false, null)) {
            assertThat(data.classNames()).containsExactly("bird", "cat", "dog");
            assertThat(data.size()).isEqualTo(5);
            assertThat(data.exampleShape()).containsExactly(3, 16, 16);
            Batch b = data.load(new long[] {0, 1, 2, 3, 4}, 0);
            assertThat(b.y().toLongVector()).containsExactly(0, 1, 1, 2, 2);
            List<Path> order = List.of(root.resolve("bird/z.png"), root.resolve("cat/x.png"), root.resolve("cat/sub/y.jpg"),
                    root.resolve("dog/a.JPEG"), root.resolve("dog/b.png"));
            for (int k = 0; k < 5; k++) {
                assertThat(example(b, k)).as("example %d", k).containsExactly(expected(order.get(k), 16, false), org.assertj.core.data.Offset.offset(1e-6f));
            }
        }
    }

    @Test
    void flipsAreSeededPerExampleAndIndependentOfTheBatch() throws Exception {
        try (ImageFolderDataset data = open(true, null)) {
            Path file = root.resolve("dog/b.png");
            float[] plain = expected(file, 16, false);
            float[] mirrored = expected(file, 16, true);
            int flipped = 0;
            for (long seed = 0; seed < 16; seed++) {
                float[] got = example(data.load(new long[] {4}, seed), 0);
                boolean f = IndexedRandom.flip(seed, 4);
                assertThat(got).containsExactly(f ? mirrored : plain, org.assertj.core.data.Offset.offset(1e-6f));
                flipped += f ? 1 : 0;
                assertThat(example(data.load(new long[] {1, 4, 0}, seed), 1)).containsExactly(got, org.assertj.core.data.Offset.offset(1e-6f));
            }
            assertThat(flipped).isBetween(3, 13);
        }
    }

    @Test
    void prefetchedBatchesEqualDirectLoads() throws Exception {
        try (ImageFolderDataset data = open(true, null)) {
            long[] idx = {3, 1, 4, 0};
            data.prefetch(idx, 9);
            data.prefetch(new long[] {2}, 1);
            Batch early = data.load(idx, 9);
            Batch direct = data.load(idx, 9);
            assertThat(early.x()).isEqualTo(direct.x());
            assertThat(early.y()).isEqualTo(direct.y());
        }
    }

    @Test
    void corruptFilesAreSkippedNamedAndReplacedByTheNextExample() throws Exception {
        Path bad = root.resolve("cat/broken.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3});
        try (ImageFolderDataset data = open(false, 0.5)) {
            assertThat(data.size()).isEqualTo(6);
            // order: bird/z, cat/broken, cat/x, cat/sub/y, dog/a, dog/b
            Batch b = data.load(new long[] {1, 2}, 0);
            assertThat(example(b, 0)).containsExactly(example(b, 1), org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(b.y().toLongVector()).containsExactly(1, 1);
            assertThat(data.badFiles()).containsOnlyKeys(bad);
        }
        try (ImageFolderDataset strict = open(false, null)) {
            assertThatThrownBy(() -> strict.load(new long[] {0, 1, 2}, 0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("broken.png")
                    .hasMessageContaining("max_bad_fraction");
        }
    }

    @Test
    void layoutErrorsAreClear() throws IOException {
        Path empty = root.resolve("empty");
        Files.createDirectories(empty.resolve("cls"));
        assertThatThrownBy(() -> new ImageFolderSource(new ImageFolderOptions("empty", null, null, 1, 0, null))
                .open(new DatasetContext(root, 16, 0))).hasMessageContaining("holds no image files");
        assertThatThrownBy(() -> new ImageFolderSource(new ImageFolderOptions("missing", null, null, 1, 0, null))
                .open(new DatasetContext(root, 16, 0))).hasMessageContaining("not a folder");
        assertThatThrownBy(() -> new ImageFolderSource(new ImageFolderOptions(".", 32, null, 1, 0, null))
                .open(new DatasetContext(root, 16, 0))).hasMessageContaining("image_size");
    }
}
