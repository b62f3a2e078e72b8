package dev.sit.core.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/** Generated image files for tests (also used by sit-cli's tests through the test jar). */
public final class TestImages {

    private TestImages() {
    }

    /**
     * An ImageNet-style tree {@code root/<class>/NNN.jpg}: {@code perClass} JPEGs in each of the class folders, random
     * colour blocks on black, of assorted non-square sizes between 18 and 50 pixels, reproducible from {@code seed}.
     */
    public static void writeJpegClasses(Path root, List<String> classes, int perClass, long seed) throws IOException {
        Random r = new Random(seed);
        for (String c : classes) {
            Files.createDirectories(root.resolve(c));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(20 + r.nextInt(30), 18 + r.nextInt(30), BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                for (int k = 0; k < 6; k++) {
                    g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
                    g.fillRect(r.nextInt(img.getWidth()), r.nextInt(img.getHeight()), 4 + r.nextInt(20), 4 + r.nextInt(20));
                }
                g.dispose();
                if (!ImageIO.write(img, "jpg", root.resolve(c).resolve(String.format("%03d.jpg", i)).toFile())) {
                    throw new IOException("no JPEG writer in this Java runtime");
                }
            }
        }
    }
}
