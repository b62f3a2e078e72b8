package dev.sit.core.data;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A measurable criterion for "the samples show the intended class" on the {@code shapes}
 * data: nearest class prototype in {@link ShapeStatistics} space. A prototype is the mean
 * feature vector of real images of a class; distances are Euclidean after dividing each
 * feature by its pooled within-class standard deviation (floored at 0.02), so colour, which
 * varies little within a class, weighs most, and the shape statistics decide between similar
 * colours. Chance level is 1/10.
 */
public final class ShapesClassifier {

    private static final double MIN_SCALE = 0.02;

    private final INDArray prototypes; // (K, F)
    private final INDArray scale; // (1, F)

    private ShapesClassifier(INDArray prototypes, INDArray scale) {
        this.prototypes = prototypes;
        this.scale = scale;
    }

    /** Prototypes from {@code perClass} real images of each class at this image size. */
    public static ShapesClassifier fit(int imageSize, int perClass) {
        int k = ShapeClass.values().length;
        ShapesDataset data = new ShapesDataset((long) perClass * k, imageSize, 0x5EED_C1A55L);
        long[] indices = new long[perClass * k];
        Arrays.setAll(indices, i -> i);
        var batch = data.load(indices, 0);
        return fit(batch.x(), batch.y().toLongVector(), k);
    }

    /** Prototypes from given real images (N, 3, H, W) in [-1, 1] and their labels in [0, classes). */
    public static ShapesClassifier fit(INDArray images, long[] labels, int classes) {
        INDArray f = ShapeStatistics.of(images);
        int features = ShapeStatistics.FEATURES;
        INDArray prototypes = Nd4j.create(DataType.DOUBLE, classes, features);
        INDArray pooledVar = Nd4j.zeros(DataType.DOUBLE, 1, features);
        for (int c = 0; c < classes; c++) {
            final int cls = c;
            long[] rows = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == cls)
                    .mapToLong(i -> i).toArray();
            if (rows.length < 2) {
                throw new IllegalArgumentException("class " + c + " needs at least 2 real images, got " + rows.length);
            }
            INDArray fc = f.get(NDArrayIndex.indices(rows), NDArrayIndex.all());
            INDArray mean = fc.mean(true, 0);
            prototypes.putRow(c, mean);
            INDArray centred = fc.subRowVector(mean);
            pooledVar.addi(centred.mul(centred).sum(true, 0));
        }
        INDArray scale = Transforms.max(Transforms.sqrt(pooledVar.divi(labels.length - classes), true), MIN_SCALE, false);
        return new ShapesClassifier(prototypes, scale);
    }

    /** The nearest prototype of each image (N, 3, H, W); -1 for an image without foreground. */
    public int[] predict(INDArray images) {
        INDArray d = squaredDistances(standardize(ShapeStatistics.of(images)));
        int[] out = new int[(int) d.rows()];
        INDArray best = Nd4j.argMin(d, 1);
        long[] idx = best.toLongVector();
        double[] rowSums = d.sum(1).toDoubleVector();
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.isNaN(rowSums[i]) ? -1 : (int) idx[i];
        }
        return out;
    }

    /** {@link ShapeStatistics} (N, F) divided by the pooled within-class deviations. */
    public INDArray standardize(INDArray statistics) {
        return statistics.castTo(DataType.DOUBLE).divRowVector(scale);
    }

    /** Squared distances (N, K) of standardized features (N, F) to the standardized class prototypes. */
    public INDArray squaredDistances(INDArray standardized) {
        INDArray f = standardized;
        INDArray p = prototypes.divRowVector(scale); // (K, F)
        // |f|^2 - 2 f.p + |p|^2
        return f.mul(f).sum(true, 1).repeat(1, p.rows())
                .subi(f.mmul(p.transpose()).muli(2.0))
                .addiRowVector(p.mul(p).sum(true, 1).transpose());
    }

    /**
     * The fraction of images (N, 3, H, W) in [-1, 1] whose nearest prototype is their intended
     * label, with per-class counts.
     */
    public ClassRecognition recognize(INDArray images, long[] intendedLabels) {
        if (images.size(0) != intendedLabels.length) {
            throw new IllegalArgumentException(images.size(0) + " images but " + intendedLabels.length + " labels");
        }
        int[] predicted = predict(images);
        int k = (int) prototypes.rows();
        int[] count = new int[k];
        int[] correct = new int[k];
        int total = 0;
        for (int i = 0; i < predicted.length; i++) {
            int want = (int) intendedLabels[i];
            if (want < 0 || want >= k) {
                throw new IllegalArgumentException("label " + want + " outside [0, " + k + ")");
            }
            count[want]++;
            if (predicted[i] == want) {
                correct[want]++;
                total++;
            }
        }
        return new ClassRecognition(predicted.length == 0 ? Double.NaN : total / (double) predicted.length,
                predicted, count, correct);
    }
}
