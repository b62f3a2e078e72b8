package dev.sit.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sit.core.data.ImageFolderSource;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Image files to [-1, 1] batches and back: what {@code sit vae encode|decode} and the datasets share. */
class ImageBatchTest {

    @Test
    void saveImageQuantisationIsDiffusersRounding() {
        // round(clamp((x+1)/2, 0, 1) * 255): (x+1)/2*255 = 127.5 exactly rounds up; out-of-range values clamp
        INDArray x = Nd4j.createFromArray(new float[] {-1.5f, -1f, 0f, 1f, 1.7f, -0.999f, 0.5f, 2f / 255 - 1})
                .reshape(1, 1, 2, 4);
        byte[] levels = Quantization.SAVE_IMAGE.toNhwc(x);
        int[] unsigned = new int[levels.length];
        for (int i = 0; i < levels.length; i++) {
            unsigned[i] = levels[i] & 0xFF;
        }
        assertThat(unsigned).containsExactly(0, 0, 128, 255, 255, 0, 191, 1);
    }

    @Test
    void pngsWrittenWithAQuantisationReadBackAsItsLevels(@TempDir Path dir) throws Exception {
        INDArray rgb = Nd4j.rand(DataType.FLOAT, 2, 3, 5, 7).muli(2.2).subi(1.1);
        List<Path> files = PngWriter.writeSamples(rgb, dir, 10, Quantization.SAVE_IMAGE);
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("000010.png", "000011.png");
        byte[] levels = Quantization.SAVE_IMAGE.toNhwc(rgb);
        List<Uint8Image> back = new ArrayList<>();
        for (Path f : files) {
            back.add(ImageDecoder.readRgb(f));
        }
        INDArray expected = ImageBatch.toTensor(List.of(
                new Uint8Image(7, 5, 3, java.util.Arrays.copyOfRange(levels, 0, 105)),
                new Uint8Image(7, 5, 3, java.util.Arrays.copyOfRange(levels, 105, 210))));
        assertThat(ImageBatch.toTensor(back)).isEqualTo(expected);
        // and the levels are x quantised: within half a level of the clamped input
        INDArray clamped = org.nd4j.linalg.ops.transforms.Transforms.min(
                org.nd4j.linalg.ops.transforms.Transforms.max(rgb, -1.0, true), 1.0, false);
        assertThat(expected.sub(clamped).amaxNumber().doubleValue()).isLessThanOrEqualTo(1 / 255.0 + 1e-6);
    }

    @Test
    void toTensorIsChannelsFirstInMinusOneToOne() {
        // 2x1 RGB image: pixel (0,0) = (0, 128, 255), pixel (1,0) = (255, 0, 51)
        Uint8Image im = new Uint8Image(2, 1, 3, new byte[] {0, (byte) 128, (byte) 255, (byte) 255, 0, 51});
        INDArray t = ImageBatch.toTensor(im);
        assertThat(t.shape()).containsExactly(1, 3, 1, 2);
        assertThat(t.getDouble(0, 0, 0, 0)).isEqualTo(-1.0);
        assertThat(t.getDouble(0, 0, 0, 1)).isEqualTo(1.0);
        assertThat(t.getFloat(0, 1, 0, 0)).isEqualTo(128f / 127.5f - 1f);
        assertThat(t.getFloat(0, 2, 0, 1)).isEqualTo(51f / 127.5f - 1f);
        assertThatThrownBy(() -> ImageBatch.toTensor(List.of(im, new Uint8Image(1, 1, 3, new byte[3]))))
                .hasMessageContaining("one size");
    }

    @Test
    void aFolderOfImagesIsReadInNameOrderAndCenterCropped(@TempDir Path dir) throws Exception {
        // 64x20: halved once (short side 20 >= 2*8) to 32x10, scaled by 0.8 to 26x8, centre 8x8 from x=9
        BufferedImage img = new BufferedImage(64, 20, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 32, 20);
        g.setColor(Color.BLUE);
        g.fillRect(32, 0, 32, 20);
        g.dispose();
        ImageIO.write(img, "png", dir.resolve("b.png").toFile());
        BufferedImage solid = new BufferedImage(30, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g2 = solid.createGraphics();
        g2.setColor(new Color(51, 102, 204));
        g2.fillRect(0, 0, 30, 40);
        g2.dispose();
        ImageIO.write(solid, "png", dir.resolve("a.png").toFile());

        List<Path> files = ImageFolderSource.imagesIn(dir);
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("a.png", "b.png");
        List<Uint8Image> cropped = new ArrayList<>();
        for (Path f : files) {
            cropped.add(AdmCenterCrop.apply(ImageDecoder.readRgb(f), 8));
        }
        INDArray images = ImageBatch.toTensor(cropped);
        assertThat(images.shape()).containsExactly(2, 3, 8, 8);
        INDArray a = images.slice(0);
        assertThat(a.slice(0)).isEqualTo(Nd4j.valueArrayOf(new long[] {8, 8}, 51 / 127.5f - 1f, DataType.FLOAT));
        assertThat(a.slice(2)).isEqualTo(Nd4j.valueArrayOf(new long[] {8, 8}, 204 / 127.5f - 1f, DataType.FLOAT));
        // the red/blue border sits in the middle of the crop: left columns pure red, right columns pure blue
        INDArray b = images.slice(1);
        assertThat(b.slice(0).getDouble(4, 0)).isEqualTo(1.0);
        assertThat(b.slice(2).getDouble(4, 0)).isEqualTo(-1.0);
        assertThat(b.slice(0).getDouble(4, 7)).isEqualTo(-1.0);
        assertThat(b.slice(2).getDouble(4, 7)).isEqualTo(1.0);
    }

    @Test
    void emptyOrMissingFoldersAreErrors(@TempDir Path dir) {
        assertThatThrownBy(() -> ImageFolderSource.imagesIn(dir)).hasMessageContaining("no images");
        assertThatThrownBy(() -> ImageFolderSource.imagesIn(dir.resolve("nope"))).hasMessageContaining("not a folder");
    }
}
