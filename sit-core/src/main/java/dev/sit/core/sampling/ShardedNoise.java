package dev.sit.core.sampling;

import dev.sit.api.sampling.NoiseSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One batch's noise shared by shards of the batch that sample side by side: the k-th draw of every
 * shard is the shard's rows of the k-th draw of the whole batch from {@code batchNoise}. So a batch
 * sampled in shards meets exactly the noise it meets in one piece, whichever shard asks first.
 * A draw is kept until every shard has taken its rows.
 */
public final class ShardedNoise {

    private final NoiseSource batchNoise;
    private final long batchSize;
    private final int shards;
    private final List<INDArray> drawn = new ArrayList<>();
    private final Map<Integer, Integer> taken = new HashMap<>();

    /** {@code batchNoise} draws for the whole batch of {@code batchSize} rows; {@code shards} take their rows of each draw. */
    public ShardedNoise(NoiseSource batchNoise, long batchSize, int shards) {
        this.batchNoise = batchNoise;
        this.batchSize = batchSize;
        this.shards = shards;
    }

    /** The noise of the shard holding rows {@code [from, to)} of the batch (first axis of every draw). */
    public NoiseSource rows(long from, long to) {
        int[] calls = {0};
        return shape -> rowsOf(calls[0]++, shape, from, to);
    }

    private synchronized INDArray rowsOf(int call, long[] shape, long from, long to) {
        if (shape.length == 0 || shape[0] != to - from) {
            throw new IllegalArgumentException("a shard of rows " + from + ".." + to + " asked for noise of shape "
                    + java.util.Arrays.toString(shape));
        }
        while (drawn.size() <= call) {
            long[] whole = shape.clone();
            whole[0] = batchSize;
            drawn.add(batchNoise.next(whole));
        }
        INDArray draw = drawn.get(call);
        INDArray rows = draw.get(NDArrayIndex.interval(from, to)).dup('c');
        if (taken.merge(call, 1, Integer::sum) == shards) {
            drawn.set(call, null); // every shard has its rows
            taken.remove(call);
        }
        return rows;
    }
}
