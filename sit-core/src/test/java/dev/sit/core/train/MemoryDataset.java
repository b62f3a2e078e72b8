package dev.sit.core.train;

import dev.sit.api.data.Batch;
import dev.sit.api.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A dataset held in memory: seeded random images with labels i mod classes; optional NaN poisoning. */
final class MemoryDataset implements Dataset {

    private final INDArray images;
    private final int classes;

    MemoryDataset(int size, int channels, int side, int classes, long seed) {
        Nd4j.getRandom().setSeed(seed);
        this.images = Nd4j.rand(DataType.FLOAT, size, channels, side, side).muli(2).subi(1);
        this.classes = classes;
    }

    /** Makes every image NaN (a broken data pipeline). */
    MemoryDataset poisoned() {
        images.assign(Float.NaN);
        return this;
    }

    @Override
    public long size() {
        return images.size(0);
    }

    @Override
    public long[] exampleShape() {
        return new long[] {images.size(1), images.size(2), images.size(3)};
    }

    @Override
    public int numClasses() {
        return classes;
    }

    @Override
    public Batch load(long[] indices, long augmentationSeed) {
        INDArray x = Nd4j.create(DataType.FLOAT, indices.length, images.size(1), images.size(2), images.size(3));
        long[] labels = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            x.get(NDArrayIndex.point(i)).assign(images.get(NDArrayIndex.point(indices[i])));
            labels[i] = indices[i] % classes;
        }
        return new Batch(x, Nd4j.createFromArray(labels));
    }
}
