package dev.sit.core.eval;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Fréchet distance between two Gaussians, the quantity behind FID and sFID:
 *
 * <pre>
 *   d² = |mu1 - mu2|² + tr(S1) + tr(S2) - 2 tr(sqrtm(S1 S2))
 * </pre>
 *
 * ADM computes {@code tr(sqrtm(S1 S2))} with {@code scipy.linalg.sqrtm} and keeps the real part.
 * Here it is the sum of the square roots of the eigenvalues of {@code sqrt(S1) S2 sqrt(S1)}, a
 * symmetric positive semi-definite matrix similar to {@code S1 S2} (so it has the same
 * eigenvalues), decomposed with EJML's symmetric eigen solver. Eigenvalues that rounding makes
 * slightly negative contribute 0, which is the real part of their complex square root, as
 * {@code covmean.real} in ADM; so do positive ones at rounding level (see {@code roundingFloor}). Singular covariances (fewer samples than dimensions) need no
 * special case: this route stays finite where {@code sqrtm} can fail, so ADM's retry with
 * {@code 1e-6} added to both diagonals (taken only when {@code sqrtm} returns non-finite values)
 * is not needed; statistics that are themselves not finite are an error.
 *
 * <p>When one side has fewer vectors than dimensions, its covariance is {@code F^T F} with F
 * (N, D) (see {@link FeatureStatistics#factor()}), and the non-zero eigenvalues of
 * {@code F^T F S2} are those of the symmetric N x N matrix {@code F S2 F^T}: the decomposition
 * shrinks from D x D to N x N, with the same result.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    /** The distance between two fitted Gaussians; their dimensions must agree. */
    public static double between(FeatureStatistics a, FeatureStatistics b) {
        if (a.dimension() != b.dimension()) {
            throw new IllegalArgumentException("the two feature sets have different sizes: " + a.dimension()
                    + " vs " + b.dimension() + " features per image; compute both with the same feature extractor"
                    + " (and the same layer: pool_3 has 2048, the sFID spatial features 2023)");
        }
        requireFinite(a, "first");
        requireFinite(b, "second");
        INDArray diff = a.mu().castTo(DataType.DOUBLE).sub(b.mu().castTo(DataType.DOUBLE));
        double meanTerm = diff.mul(diff).sumNumber().doubleValue();
        INDArray s1 = a.sigma().castTo(DataType.DOUBLE);
        INDArray s2 = b.sigma().castTo(DataType.DOUBLE);
        double traces = Nd4j.diag(s1).sumNumber().doubleValue() + Nd4j.diag(s2).sumNumber().doubleValue();
        double traceSqrt;
        if (a.factor().isPresent() || b.factor().isPresent()) {
            // tr sqrtm(S1 S2) = tr sqrtm(S2 S1): put the smaller factor in front
            boolean useA = b.factor().isEmpty()
                    || (a.factor().isPresent() && a.factor().get().rows() <= b.factor().get().rows());
            INDArray f = (useA ? a : b).factor().get().castTo(DataType.DOUBLE);
            INDArray other = useA ? s2 : s1;
            traceSqrt = sumOfRoots(f.mmul(other).mmul(f.transpose()));
        } else {
            traceSqrt = traceSqrtOfProduct(s1, s2);
        }
        return meanTerm + traces - 2 * traceSqrt;
    }

    /** {@code tr(sqrtm(S1 S2))} for symmetric positive semi-definite S1, S2. */
    static double traceSqrtOfProduct(INDArray s1, INDArray s2) {
        INDArray root = symmetricSqrt(s1);
        return sumOfRoots(root.mmul(s2).mmul(root));
    }

    /** Sum of sqrt(max(lambda, 0)) over the eigenvalues of a matrix that is symmetric up to rounding. */
    private static double sumOfRoots(INDArray m) {
        double[] lambdas = symmetricEigenvalues(m.add(m.transpose()).muli(0.5));
        double floor = roundingFloor(lambdas);
        double sum = 0;
        for (double lambda : lambdas) {
            sum += lambda <= floor ? 0.0 : Math.sqrt(lambda);
        }
        return sum;
    }

    /**
     * Eigenvalues at or below {@code n · 2^-52 · max|lambda|} are rounding noise of a singular
     * matrix, zero in exact arithmetic; their square roots (about 1e-8 of the scale each) would
     * otherwise add up to a visible bias, e.g. a slightly negative distance of a set to itself.
     */
    private static double roundingFloor(double[] lambdas) {
        double max = 0;
        for (double l : lambdas) {
            max = Math.max(max, Math.abs(l));
        }
        return lambdas.length * Math.ulp(1.0) * max;
    }

    /** {@code V diag(sqrt(max(lambda, 0))) V^T} of a symmetric matrix. */
    static INDArray symmetricSqrt(INDArray s) {
        int d = (int) s.rows();
        EigenDecomposition_F64<DMatrixRMaj> eig = decompose(s, true);
        double[] vectors = new double[d * d]; // column i = eigenvector i, row-major
        double[] roots = new double[d];
        double[] lambdas = new double[d];
        for (int i = 0; i < d; i++) {
            lambdas[i] = eig.getEigenvalue(i).getReal();
        }
        double floor = roundingFloor(lambdas);
        for (int i = 0; i < d; i++) {
            roots[i] = lambdas[i] <= floor ? 0.0 : Math.sqrt(lambdas[i]);
            DMatrixRMaj v = eig.getEigenVector(i);
            for (int r = 0; r < d; r++) {
                vectors[r * d + i] = v.data[r];
            }
        }
        INDArray vMat = Nd4j.create(vectors, new long[] {d, d}, DataType.DOUBLE);
        INDArray scaled = vMat.mulRowVector(Nd4j.create(roots, new long[] {1, d}, DataType.DOUBLE));
        return scaled.mmul(vMat.transpose());
    }

    static double[] symmetricEigenvalues(INDArray s) {
        EigenDecomposition_F64<DMatrixRMaj> eig = decompose(s, false);
        double[] values = new double[eig.getNumberOfEigenvalues()];
        for (int i = 0; i < values.length; i++) {
            values[i] = eig.getEigenvalue(i).getReal();
        }
        return values;
    }

    private static EigenDecomposition_F64<DMatrixRMaj> decompose(INDArray s, boolean vectors) {
        int d = (int) s.rows();
        DMatrixRMaj m = new DMatrixRMaj(d, d, true, s.dup('c').data().asDouble());
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, vectors, true);
        if (!eig.decompose(m)) {
            throw new IllegalStateException("the symmetric eigendecomposition of a " + d + "x" + d
                    + " covariance did not converge");
        }
        return eig;
    }

    private static void requireFinite(FeatureStatistics s, String which) {
        // NaN and infinities propagate into the sums (inf - inf is NaN)
        boolean finite = Double.isFinite(s.mu().sumNumber().doubleValue())
                && Double.isFinite(s.sigma().sumNumber().doubleValue());
        if (!finite) {
            throw new IllegalArgumentException("the " + which + " feature statistics hold NaN or infinite values"
                    + " (mu " + Arrays.toString(s.mu().shape()) + "): the features they were computed from are broken");
        }
    }
}
