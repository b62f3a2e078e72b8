package dev.sit.core.vae;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageFolderTest {

    @Test
    void quantisesLikeTheReference(@TempDir Path dir) throws Exception {
        // (x+1)/2*255 = 127.5 exactly rounds up; out-of-range values clamp
        INDArray x = Nd4j.createFromArray(new float[] {-1.5f, -1f, 0f, 1f, 1.7f, -0.999f, 0.5f, 2f / 255 - 1})
                .reshape(1, 1, 2, 4);
        assertThat(ImageFolder.toLevels(x).ravel().toIntVector()).containsExactly(0, 0, 128, 255, 255, 0, 191, 1);
        INDArray rgb = Nd4j.rand(DataType.FLOAT, 2, 3, 5, 7).muli(2.2).subi(1.1);
        List<Path> files = ImageFolder.writePngs(rgb, dir, 10);
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("000010.png", "000011.png");
        INDArray levels = ImageFolder.toLevels(rgb);
        for (int i = 0; i < 2; i++) {
            INDArray back = ImageFolder.toTensor(ImageIO.read(files.get(i).toFile()));
            INDArray expected = levels.slice(i).castTo(DataType.FLOAT).divi(127.5).subi(1.0);
            VaeGolden.assertClose(back, expected, 1e-6, 0, "PNG " + i);
        }
    }

    @Test
    void admCenterCropHalvesResizesAndCropsTheCentre(@TempDir Path dir) throws Exception {
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

        ImageFolder.Contents c = ImageFolder.read(dir, 8);
        assertThat(c.files()).containsExactly("a.png", "b.png");
        assertThat(c.images().shape()).containsExactly(2, 3, 8, 8);
        INDArray a = c.images().slice(0);
        VaeGolden.assertClose(a.slice(0), Nd4j.valueArrayOf(new long[] {8, 8}, 51 / 127.5 - 1, DataType.FLOAT),
                1e-6, 0, "solid red channel");
        VaeGolden.assertClose(a.slice(2), Nd4j.valueArrayOf(new long[] {8, 8}, 204 / 127.5 - 1, DataType.FLOAT),
                1e-6, 0, "solid blue channel");
        // the red/blue border sits in the middle of the crop: left columns red, right columns blue
        INDArray b = c.images().slice(1);
        assertThat(b.slice(0).getDouble(4, 0)).isEqualTo(1.0);
        assertThat(b.slice(2).getDouble(4, 0)).isEqualTo(-1.0);
        assertThat(b.slice(0).getDouble(4, 7)).isEqualTo(-1.0);
        assertThat(b.slice(2).getDouble(4, 7)).isEqualTo(1.0);
    }

    @Test
    void emptyOrMissingFoldersAreErrors(@TempDir Path dir) {
        assertThatThrownBy(() -> ImageFolder.read(dir, 8)).hasMessageContaining("no images");
        assertThatThrownBy(() -> ImageFolder.read(dir.resolve("nope"), 8)).hasMessageContaining("not a folder");
    }
}
