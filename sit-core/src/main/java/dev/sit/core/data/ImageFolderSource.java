package dev.sit.core.data;

import dev.sit.api.data.Dataset;
import dev.sit.api.data.DatasetContext;
import dev.sit.api.data.DatasetSource;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code image-folder} dataset source: torchvision's {@code ImageFolder} layout. Classes
 * are the sorted names of the sub-folders of {@code root}; the examples of a class are the
 * files with an image extension anywhere below its folder, ordered by (folder path, file
 * name) like {@code sorted(os.walk(...))}, so indices and labels match torchvision's.
 */
public final class ImageFolderSource implements DatasetSource {

    /** torchvision's IMG_EXTENSIONS. */
    static final Set<String> EXTENSIONS = Set.of(".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp");

    private final ImageFolderOptions options;

    public ImageFolderSource(ImageFolderOptions options) {
        this.options = options;
    }

    @Override
    public Dataset open(DatasetContext context) throws IOException {
        if (options.root() == null || options.root().isBlank()) {
            throw new IllegalArgumentException("image-folder needs data.options.root: a folder with one sub-folder per class");
        }
        Path base = context == null || context.baseDir() == null ? Path.of("") : context.baseDir();
        Path root = base.resolve(options.root()).toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "image-folder root " + root + " is not a folder");
        }
        int runSize = context == null ? 0 : context.imageSize();
        Integer wanted = options.imageSize();
        if (wanted != null && runSize > 0 && wanted != runSize) {
            throw new IllegalArgumentException("data.options.image_size is " + wanted + " but the run's image size is "
                    + runSize + ": remove image_size from the image-folder options or make them equal");
        }
        int imageSize = wanted != null ? wanted : runSize;
        if (imageSize <= 0) {
            throw new IllegalArgumentException("image-folder needs an image size: set data.options.image_size or the model's image size");
        }
        List<String> classes;
        try (Stream<Path> dirs = Files.list(root)) {
            classes = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
        if (classes.isEmpty()) {
            throw new IOException("image-folder root " + root + " has no class sub-folders (expected root/<class>/<image>)");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            List<Path> found = imagesUnder(root.resolve(classes.get(c)));
            if (found.isEmpty()) {
                throw new IOException("image-folder class folder " + root.resolve(classes.get(c))
                        + " holds no image files (extensions " + EXTENSIONS + ")");
            }
            files.addAll(found);
            for (int i = 0; i < found.size(); i++) {
                labels.add(c);
            }
        }
        int workers = options.workers() != null ? options.workers()
                : context != null && context.workers() > 0 ? context.workers()
                : Math.min(4, Runtime.getRuntime().availableProcessors());
        return new ImageFolderDataset(files, labels.stream().mapToInt(Integer::intValue).toArray(), classes, imageSize,
                options.randomFlip(), workers, options.prefetchBatches(), options.maxBadFraction());
    }

    /**
     * The image files directly in {@code folder} (extensions as {@link #EXTENSIONS}), sorted by name: a flat
     * folder of images such as {@code sit vae encode --in DIR} reads.
     */
    public static List<Path> imagesIn(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, folder + " is not a folder of images");
        }
        try (Stream<Path> s = Files.list(folder)) {
            List<Path> files = s.filter(Files::isRegularFile).filter(ImageFolderSource::hasImageExtension)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
            if (files.isEmpty()) {
                throw new IOException("no images (" + String.join(", ", EXTENSIONS.stream().sorted().toList()) + ") in "
                        + folder);
            }
            return files;
        }
    }

    static List<Path> imagesUnder(Path classDir) throws IOException {
        try (Stream<Path> walk = Files.walk(classDir, FileVisitOption.FOLLOW_LINKS)) {
            return walk.filter(Files::isRegularFile).filter(ImageFolderSource::hasImageExtension)
                    .sorted(Comparator.comparing((Path p) -> p.getParent().toString()).thenComparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    static boolean hasImageExtension(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(name.substring(dot));
    }
}
