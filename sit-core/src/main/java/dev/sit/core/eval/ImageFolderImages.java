package dev.sit.core.eval;

import dev.sit.core.image.ImageDecoder;
import dev.sit.core.image.Uint8Image;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The PNG/JPEG files of a folder (not its subfolders), in file-name order; all must have one size. */
final class ImageFolderImages implements ImageSource {

    private final Path dir;
    private final List<Path> files;
    private int width = -1;
    private int height = -1;
    private int next;

    private ImageFolderImages(Path dir, List<Path> files) {
        this.dir = dir;
        this.files = files;
    }

    static ImageFolderImages open(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(ImageFolderImages::isImage).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no .png/.jpg/.jpeg images (subfolders are not searched)");
        }
        return new ImageFolderImages(dir, files);
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    @Override
    public long count() {
        return files.size();
    }

    @Override
    public INDArray next(int n) throws IOException {
        int take = Math.min(n, files.size() - next);
        if (take <= 0) {
            return Nd4j.create(DataType.UBYTE, 0, Math.max(height, 1), Math.max(width, 1), 3);
        }
        ByteBuffer pixels = null;
        for (int i = 0; i < take; i++) {
            Path file = files.get(next + i);
            Uint8Image img = ImageDecoder.readRgb(file);
            if (width < 0) {
                width = img.width();
                height = img.height();
            } else if (img.width() != width || img.height() != height) {
                throw new IllegalArgumentException(file + " is " + img.width() + "x" + img.height() + " but the first image of "
                        + dir + " is " + width + "x" + height + "; all images of a set must have one size");
            }
            if (pixels == null) {
                pixels = ByteBuffer.allocateDirect(take * width * height * 3);
            }
            pixels.put(img.pixels());
        }
        next += take;
        pixels.flip();
        return Nd4j.create(Nd4j.createBuffer(pixels, DataType.UBYTE, pixels.limit()), new long[] {take, height, width, 3});
    }

    @Override
    public void skip(long n) {
        next = (int) Math.min(files.size(), next + n);
    }

    @Override
    public void close() {
    }
}
