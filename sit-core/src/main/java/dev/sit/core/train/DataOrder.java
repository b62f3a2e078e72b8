package dev.sit.core.train;

import java.util.SplittableRandom;

/**
 * The order in which training visits a dataset: a new seeded permutation every epoch, batches
 * taken in order, an incomplete last batch dropped (as the reference's {@code drop_last=True}).
 * The position (epoch, offset) is all a resumed run needs to continue with the same batches.
 */
public final class DataOrder {

    private final long size;
    private final long seed;
    private long epoch;
    private long offset;
    private long[] permutation;

    public DataOrder(long size, long seed, long epoch, long offset) {
        if (size <= 0) {
            throw new IllegalArgumentException("the dataset is empty");
        }
        this.size = size;
        this.seed = seed;
        this.epoch = epoch;
        this.offset = offset;
        this.permutation = permutation(epoch);
    }

    /** The next batch of example indices; moves to the next epoch when fewer than {@code n} remain. */
    public long[] next(int n) {
        if (n > size) {
            throw new IllegalArgumentException("the batch size " + n + " is larger than the dataset (" + size
                    + " examples); lower train.global_batch_size");
        }
        if (offset + n > size) {
            epoch++;
            offset = 0;
            permutation = permutation(epoch);
        }
        long[] batch = new long[n];
        System.arraycopy(permutation, (int) offset, batch, 0, n);
        offset += n;
        return batch;
    }

    /** The batch {@link #next} will give, without moving (for prefetching). */
    public long[] peek(int n) {
        if (offset + n > size) {
            long[] order = permutation(epoch + 1);
            long[] batch = new long[n];
            System.arraycopy(order, 0, batch, 0, n);
            return batch;
        }
        long[] batch = new long[n];
        System.arraycopy(permutation, (int) offset, batch, 0, n);
        return batch;
    }

    public long epoch() {
        return epoch;
    }

    public long offset() {
        return offset;
    }

    private long[] permutation(long e) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("datasets over 2^31 examples are not supported");
        }
        long[] order = new long[(int) size];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(StepSeeds.mix(seed, e, 0x5EED_0DE5L));
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
