package dev.sit.core.eval;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019) as ADM's {@code ManifoldEstimator}
 * computes them. The radius of a feature vector is its k-th nearest-neighbour squared distance
 * within its own set (itself counted at distance 0, so with k = 3 the third nearest other
 * point); {@code precision} is the fraction of samples within the radius of some reference
 * vector, {@code recall} the fraction of references within the radius of some sample:
 *
 * <pre>
 *   precision = mean_s [ exists r: d(s, r) &lt;= radius_ref(r) ]
 *   recall    = mean_r [ exists s: d(r, s) &lt;= radius_sample(s) ]
 *   d(u, v)   = max(|u|² - 2 u·v + |v|², 0)   in float32
 * </pre>
 *
 * Distances are computed in blocks of rows against blocks of columns, so a 50k x 50k distance
 * matrix never sits in memory: a few {@code block} x {@code block} blocks at a time.
 */
public record PrecisionRecall(double precision, double recall) {

    /** ADM's neighbourhood size. */
    public static final int ADM_K = 3;

    private static final int DEFAULT_BLOCK = 1024;

    /** ADM's precision and recall with k = 3. */
    public static PrecisionRecall of(INDArray reference, INDArray samples) {
        return of(reference, samples, ADM_K, DEFAULT_BLOCK);
    }

    /** Precision and recall with neighbourhood size {@code k}, in blocks of {@code block} rows and columns. */
    public static PrecisionRecall of(INDArray reference, INDArray samples, int k, int block) {
        if (reference.rank() != 2 || samples.rank() != 2) {
            throw new IllegalArgumentException("precision/recall need feature matrices (N, D), got "
                    + Arrays.toString(reference.shape()) + " and " + Arrays.toString(samples.shape()));
        }
        if (reference.columns() != samples.columns()) {
            throw new IllegalArgumentException("the two feature sets have different sizes: " + reference.columns()
                    + " vs " + samples.columns() + " features per image; compute both with the same feature extractor");
        }
        INDArray ref = reference.castTo(DataType.FLOAT);
        INDArray smp = samples.castTo(DataType.FLOAT);
        INDArray refRadii = radii(ref, k, block);
        INDArray sampleRadii = radii(smp, k, block);
        // precision: for each sample, min over references of d - radius_ref <= 0; recall the other way round
        INDArray sampleSlack = Nd4j.valueArrayOf(new long[] {smp.rows()}, Float.POSITIVE_INFINITY, DataType.FLOAT);
        INDArray refSlack = Nd4j.valueArrayOf(new long[] {ref.rows()}, Float.POSITIVE_INFINITY, DataType.FLOAT);
        for (long r0 = 0; r0 < ref.rows(); r0 += block) {
            long r1 = Math.min(ref.rows(), r0 + block);
            INDArray rows = rowsOf(ref, r0, r1);
            INDArray rRad = refRadii.get(NDArrayIndex.interval(r0, r1));
            for (long s0 = 0; s0 < smp.rows(); s0 += block) {
                long s1 = Math.min(smp.rows(), s0 + block);
                INDArray d = squaredDistances(rows, rowsOf(smp, s0, s1)); // (R, S)
                INDArray sRad = sampleRadii.get(NDArrayIndex.interval(s0, s1));
                INDArray forSamples = d.subColumnVector(rRad.reshape(r1 - r0, 1)).min(0);
                INDArray forRefs = d.subRowVector(sRad.reshape(1, s1 - s0)).min(1);
                INDArray sView = sampleSlack.get(NDArrayIndex.interval(s0, s1));
                sView.assign(Transforms.min(sView, forSamples.reshape(sView.shape()), true));
                INDArray rView = refSlack.get(NDArrayIndex.interval(r0, r1));
                rView.assign(Transforms.min(rView, forRefs.reshape(rView.shape()), true));
            }
        }
        double precision = sampleSlack.lte(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        double recall = refSlack.lte(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        return new PrecisionRecall(precision, recall);
    }

    /**
     * The k-th smallest squared distance of each row to all rows (itself included, so index k of
     * the ascending order), float32 (N). Each block of rows keeps only its k+1 smallest distances
     * so far and merges every block of columns into them with a top-k, so memory is
     * {@code block x (block + k + 1)} floats whatever N is.
     */
    static INDArray radii(INDArray features, int k, int block) {
        long n = features.rows();
        if (n <= k) {
            throw new IllegalArgumentException("precision/recall with k = " + k + " need more than " + k
                    + " feature vectors per set, got " + n);
        }
        INDArray out = Nd4j.create(DataType.FLOAT, n);
        for (long r0 = 0; r0 < n; r0 += block) {
            long r1 = Math.min(n, r0 + block);
            INDArray rows = rowsOf(features, r0, r1);
            INDArray smallest = null; // (R, <= k+1) negated distances, largest first
            for (long c0 = 0; c0 < n; c0 += block) {
                long c1 = Math.min(n, c0 + block);
                INDArray negated = squaredDistances(rows, rowsOf(features, c0, c1)).negi();
                INDArray candidates = smallest == null ? negated : Nd4j.concat(1, smallest, negated);
                smallest = candidates.columns() <= k + 1 ? candidates : largest(candidates, k + 1);
            }
            smallest = largest(smallest, k + 1);
            out.get(NDArrayIndex.interval(r0, r1)).assign(smallest.getColumn(k).neg());
        }
        return out;
    }

    /** The {@code m} largest values of each row, in descending order: (R, m). */
    private static INDArray largest(INDArray rows, int m) {
        // libnd4j's top_k reads k from the integer arguments (TopK's double constructor loses it)
        INDArray[] valuesAndIndices = Nd4j.exec(DynamicCustomOp.builder("top_k").addInputs(rows.dup('c'))
                .addIntegerArguments(m).addBooleanArguments(true).build());
        return valuesAndIndices[0];
    }

    /** {@code max(|u|² - 2 u·v + |v|², 0)} for rows u of a (A, D) and rows v of b (B, D): (A, B), float32. */
    static INDArray squaredDistances(INDArray a, INDArray b) {
        INDArray normA = a.mul(a).sum(true, 1); // (A, 1)
        INDArray normB = b.mul(b).sum(true, 1).reshape(1, b.rows()); // (1, B)
        INDArray d = a.mmul(b.transpose()).muli(-2f).addiColumnVector(normA).addiRowVector(normB);
        return Transforms.max(d, 0.0, false);
    }

    private static INDArray rowsOf(INDArray m, long start, long end) {
        return m.get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
    }
}
