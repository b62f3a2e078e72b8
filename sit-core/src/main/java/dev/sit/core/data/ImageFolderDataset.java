package dev.sit.core.data;

import dev.sit.api.data.Batch;
import dev.sit.api.data.Dataset;
import dev.sit.core.image.AdmCenterCrop;
import dev.sit.core.image.ImageBatch;
import dev.sit.core.image.ImageDecoder;
import dev.sit.core.image.Uint8Image;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Image files decoded on demand, as SiT's {@code train.py} prepares them: RGB, ADM center crop
 * to {@code imageSize} ({@link AdmCenterCrop}), horizontal flip with probability 1/2, then
 * {@code u8 / 127.5 - 1}. The flip of example i under augmentation seed s is
 * {@link IndexedRandom#flip(long, long)}, so a batch is the same whichever thread decodes it.
 *
 * <p>Decoding runs on a pool of {@code workers} threads, one task per example;
 * {@link #prefetch} starts a batch early and {@link #load} with the same arguments collects
 * it. A file that cannot be decoded is reported once (a warning naming it and the reason),
 * remembered, and replaced by the next readable example (i + 1, i + 2, ... wrapping), whose
 * label comes with it. When more than {@code maxBadFraction} of all files have failed, loading
 * stops with an error listing them.
 */
public final class ImageFolderDataset implements Dataset {

    private static final System.Logger LOG = System.getLogger(ImageFolderDataset.class.getName());
    private static final int NAMED_IN_ERROR = 20;

    private final List<Path> files;
    private final int[] labels;
    private final List<String> classNames;
    private final int imageSize;
    private final boolean randomFlip;
    private final int prefetchBatches;
    private final double maxBadFraction;
    private final ExecutorService pool;
    private final Map<Integer, String> badFiles = new ConcurrentHashMap<>();
    private final Map<BatchKey, List<Future<Example>>> pending = new LinkedHashMap<>();

    private record Example(Uint8Image image, int label) {
    }

    private record BatchKey(List<Long> indices, long seed) {
        static BatchKey of(long[] indices, long seed) {
            return new BatchKey(Arrays.stream(indices).boxed().toList(), seed);
        }
    }

    public ImageFolderDataset(List<Path> files, int[] labels, List<String> classNames, int imageSize, boolean randomFlip,
            int workers, int prefetchBatches, double maxBadFraction) {
        if (files.size() != labels.length || files.isEmpty()) {
            throw new IllegalArgumentException("need as many labels as files (and at least one), got "
                    + files.size() + " files, " + labels.length + " labels");
        }
        this.files = List.copyOf(files);
        this.labels = labels.clone();
        this.classNames = List.copyOf(classNames);
        this.imageSize = imageSize;
        this.randomFlip = randomFlip;
        this.prefetchBatches = prefetchBatches;
        this.maxBadFraction = maxBadFraction;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "sit-image-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public long size() {
        return files.size();
    }

    @Override
    public long[] exampleShape() {
        return new long[] {3, imageSize, imageSize};
    }

    @Override
    public int numClasses() {
        return classNames.size();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    /** The files that could not be decoded so far, with the reason. */
    public Map<Path, String> badFiles() {
        Map<Path, String> out = new LinkedHashMap<>();
        badFiles.keySet().stream().sorted().forEach(i -> out.put(files.get(i), badFiles.get(i)));
        return out;
    }

    @Override
    public synchronized void prefetch(long[] indices, long augmentationSeed) {
        if (prefetchBatches == 0) {
            return;
        }
        BatchKey key = BatchKey.of(indices, augmentationSeed);
        if (pending.containsKey(key)) {
            return;
        }
        while (pending.size() >= prefetchBatches) {
            Iterator<List<Future<Example>>> oldest = pending.values().iterator();
            oldest.next().forEach(f -> f.cancel(false));
            oldest.remove();
        }
        pending.put(key, submit(indices, augmentationSeed));
    }

    @Override
    public Batch load(long[] indices, long augmentationSeed) {
        List<Future<Example>> futures;
        synchronized (this) {
            futures = pending.remove(BatchKey.of(indices, augmentationSeed));
        }
        if (futures == null) {
            futures = submit(indices, augmentationSeed);
        }
        int n = indices.length;
        List<Uint8Image> images = new ArrayList<>(n);
        long[] y = new long[n];
        for (int k = 0; k < n; k++) {
            Example e = await(futures.get(k), indices, augmentationSeed, k);
            y[k] = e.label();
            images.add(e.image());
        }
        return new Batch(ImageBatch.toTensor(images), Nd4j.createFromArray(y));
    }

    private Example await(Future<Example> f, long[] indices, long seed, int k) {
        try {
            return f.get();
        } catch (CancellationException e) {
            return decode(indices[k], seed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding images", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private List<Future<Example>> submit(long[] indices, long seed) {
        List<Future<Example>> out = new ArrayList<>(indices.length);
        for (long index : indices) {
            if (index < 0 || index >= files.size()) {
                throw new IndexOutOfBoundsException("example " + index + " outside an image folder of " + files.size());
            }
            out.add(pool.submit(() -> decode(index, seed)));
        }
        return out;
    }

    /** Example {@code index}, or the next readable one after it. */
    private Example decode(long index, long seed) {
        for (long step = 0; step < files.size(); step++) {
            int i = (int) ((index + step) % files.size());
            if (badFiles.containsKey(i)) {
                continue;
            }
            try {
                Uint8Image image = AdmCenterCrop.apply(ImageDecoder.readRgb(files.get(i)), imageSize);
                // the flip is decided by the requested index, so a substitute is flipped like the original would be
                if (randomFlip && IndexedRandom.flip(seed, index)) {
                    image = image.flipHorizontal();
                }
                return new Example(image, labels[i]);
            } catch (IOException | RuntimeException e) {
                recordBad(i, e);
            }
        }
        throw new IllegalStateException("image-folder: none of the " + files.size() + " files can be decoded");
    }

    private void recordBad(int i, Exception e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        String prefix = files.get(i) + ": ";
        if (reason.startsWith(prefix)) {
            reason = reason.substring(prefix.length());
        }
        if (badFiles.putIfAbsent(i, reason) == null) {
            LOG.log(System.Logger.Level.WARNING, "skipping unreadable image " + files.get(i) + ": " + reason
                    + " (" + badFiles.size() + " skipped so far)");
        }
        if (badFiles.size() > maxBadFraction * files.size()) {
            StringBuilder msg = new StringBuilder("image-folder: " + badFiles.size() + " of " + files.size()
                    + " files cannot be decoded, more than max_bad_fraction " + maxBadFraction
                    + " allows; fix or remove them, or raise data.options.max_bad_fraction:");
            badFiles().entrySet().stream().limit(NAMED_IN_ERROR)
                    .forEach(b -> msg.append("\n  ").append(b.getKey()).append(": ").append(b.getValue()));
            if (badFiles.size() > NAMED_IN_ERROR) {
                msg.append("\n  ... and ").append(badFiles.size() - NAMED_IN_ERROR).append(" more");
            }
            throw new IllegalStateException(msg.toString());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
