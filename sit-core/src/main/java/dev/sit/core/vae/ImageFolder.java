package dev.sit.core.vae;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Image files <-> image tensors for the VAE: reading a folder of images into [N, 3, S, S] in [-1, 1]
 * ({@code pixel / 127.5 - 1}, after {@link AdmCenterCrop}) and writing [N, 3, H, W] tensors in [-1, 1] as PNGs
 * {@code 000000.png, ...} with the reference's quantisation {@code round(clamp((x + 1) / 2, 0, 1) * 255)}.
 */
public final class ImageFolder {

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    /**
     * The images of a folder in file-name order.
     *
     * @param files  the file names, one per image
     * @param images [N, 3, size, size] float32 in [-1, 1]
     */
    public record Contents(List<String> files, INDArray images) {
    }

    private ImageFolder() {
    }

    /** Image files (png, jpg, jpeg, bmp, gif) of {@code dir}, sorted by name. */
    public static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a folder of images");
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> Files.isRegularFile(p) && EXTENSIONS.stream()
                    .anyMatch(e -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(e))).sorted().toList();
            if (files.isEmpty()) {
                throw new IOException("no images (" + String.join(", ", EXTENSIONS) + ") in " + dir);
            }
            return files;
        }
    }

    /** Reads every image of {@code dir}, ADM-center-cropped to {@code size x size}. */
    public static Contents read(Path dir, int size) throws IOException {
        List<Path> files = list(dir);
        INDArray images = Nd4j.create(DataType.FLOAT, files.size(), 3, size, size);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            images.putSlice(i, toTensor(AdmCenterCrop.apply(readImage(files.get(i)), size)));
            names.add(files.get(i).getFileName().toString());
        }
        return new Contents(names, images);
    }

    /** Decodes one image file (any format ImageIO reads). */
    public static BufferedImage readImage(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + " is not an image ImageIO can read (PNG, JPEG, BMP, GIF)");
        }
        return img;
    }

    /** An RGB image as [3, H, W] float32 in [-1, 1]. */
    public static INDArray toTensor(BufferedImage rgb) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] packed = rgb.getRGB(0, 0, w, h, null, 0, w);
        // unpacking the 0xRRGGBB ints is the file-format boundary; everything after is tensor ops
        float[] chw = new float[3 * w * h];
        int plane = w * h;
        for (int p = 0; p < plane; p++) {
            int v = packed[p];
            chw[p] = (v >> 16) & 0xFF;
            chw[plane + p] = (v >> 8) & 0xFF;
            chw[2 * plane + p] = v & 0xFF;
        }
        return Nd4j.create(chw, new long[] {3, h, w}, 'c').divi(127.5).subi(1.0);
    }

    /** [N, C, H, W] in [-1, 1] -> the reference's uint8 levels {@code round(clamp((x+1)/2, 0, 1) * 255)} as INT32. */
    public static INDArray toLevels(INDArray images) {
        INDArray unit = Transforms.min(Transforms.max(images.add(1.0).divi(2.0), 0.0, false), 1.0, false);
        return Transforms.floor(unit.muli(255.0).addi(0.5), false).castTo(DataType.INT32);
    }

    /** Writes images [N, 3 or 1, H, W] in [-1, 1] as {@code dir/%06d.png} numbered from {@code first}. */
    public static List<Path> writePngs(INDArray images, Path dir, long first) throws IOException {
        if (images.rank() != 4 || (images.size(1) != 3 && images.size(1) != 1)) {
            throw new IllegalArgumentException("images must be [N, 3, H, W] (or 1 channel), got "
                    + Arrays.toString(images.shape()));
        }
        Files.createDirectories(dir);
        INDArray levels = toLevels(images);
        if (levels.size(1) == 1) {
            levels = Nd4j.concat(1, levels, levels, levels);
        }
        // 0xRRGGBB per pixel, computed on the whole batch: [N, H, W]
        INDArray packed = levels.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(0)).mul(65536)
                .addi(levels.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(1)).mul(256))
                .addi(levels.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(2)));
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < images.size(0); i++) {
            int[] rgb = packed.slice(i).dup('c').data().asInt();
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            img.setRGB(0, 0, w, h, rgb, 0, w);
            Path out = dir.resolve(String.format("%06d.png", first + i));
            Path tmp = dir.resolve(out.getFileName() + ".tmp");
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer in this Java runtime");
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            written.add(out);
        }
        return written;
    }
}
