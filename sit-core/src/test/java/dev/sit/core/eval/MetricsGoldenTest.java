package dev.sit.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** FID, Inception Score, precision and recall on the golden feature sets of ADM's suite. */
class MetricsGoldenTest {

    private static final INDArray REF = EvalGolden.npy("feat_ref.npy");
    private static final INDArray SAMPLE = EvalGolden.npy("feat_sample.npy");

    @Test
    void meanAndCovarianceAreNumpys() {
        FeatureStatistics s = FeatureStatistics.of(REF);
        EvalGolden.assertMatches(s.mu(), "mu_ref.npy");
        EvalGolden.assertMatches(s.sigma().get(NDArrayIndex.interval(0, 64), NDArrayIndex.interval(0, 64)),
                "sigma_ref_block.npy");
    }

    @Test
    void fidMatchesAdmOnSingularCovariances() {
        // 240 and 200 vectors in 2048 dimensions: both covariances are singular
        double fid = FrechetDistance.between(FeatureStatistics.of(SAMPLE), FeatureStatistics.of(REF));
        double expected = EvalGolden.metric("fid");
        assertThat(fid).isCloseTo(expected, within(EvalGolden.metricTolerance("fid").get("rtol").asDouble() * expected));
    }

    @Test
    void fidMatchesScipyCases() {
        JsonNode cases = EvalGolden.json("frechet-scipy", "expected.json");
        for (Map.Entry<String, JsonNode> c : (Iterable<Map.Entry<String, JsonNode>>) cases::fields) {
            INDArray a = EvalGolden.npy("frechet-scipy", c.getKey() + "_a.npy");
            INDArray b = EvalGolden.npy("frechet-scipy", c.getKey() + "_b.npy");
            double expected = c.getValue().get("fid").asDouble();
            double fid = FrechetDistance.between(FeatureStatistics.of(a), FeatureStatistics.of(b));
            assertThat(fid).as(c.getKey()).isCloseTo(expected, within(1e-6 * Math.max(1, Math.abs(expected))));
        }
    }

    @Test
    void fidOfASetWithItselfIsZeroAndSymmetric() {
        // 300 dimensions, 200 and 240 vectors: singular covariances again, at a tenth of the cost
        FeatureStatistics a = FeatureStatistics.of(SAMPLE.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 300)));
        FeatureStatistics b = FeatureStatistics.of(REF.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 300)));
        // the terms being cancelled are traces of size ~tr(S): rounding leaves ~1e-12 of them
        double scale = Nd4j.diag(a.sigma()).sumNumber().doubleValue() + Nd4j.diag(b.sigma()).sumNumber().doubleValue();
        assertThat(FrechetDistance.between(a, a)).isCloseTo(0.0, within(1e-9 * scale));
        assertThat(FrechetDistance.between(a, b)).isCloseTo(FrechetDistance.between(b, a), within(1e-9 * scale));
        assertThat(FrechetDistance.between(a, b)).isGreaterThan(0.0);
    }

    @Test
    void fullRankPathAgreesWithTheLowRankOne() {
        INDArray a = SAMPLE.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 250));
        INDArray b = REF.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 250));
        FeatureStatistics sa = FeatureStatistics.of(a);
        FeatureStatistics sb = FeatureStatistics.of(b);
        assertThat(sa.factor()).isPresent();
        double lowRank = FrechetDistance.between(sa, sb);
        double full = FrechetDistance.between(new FeatureStatistics(sa.mu(), sa.sigma()),
                new FeatureStatistics(sb.mu(), sb.sigma()));
        // they differ only by square roots of rounding-level eigenvalues in the null space
        assertThat(lowRank).isCloseTo(full, within(1e-7 * full));
    }

    @Test
    void mismatchedFeatureSizesAreAClearError() {
        FeatureStatistics a = FeatureStatistics.of(REF);
        FeatureStatistics b = FeatureStatistics.of(SAMPLE.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2023)));
        assertThatThrownBy(() -> FrechetDistance.between(a, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2048 vs 2023").hasMessageContaining("same feature extractor");
        assertThatThrownBy(() -> PrecisionRecall.of(REF, SAMPLE.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 10))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048 vs 10");
    }

    @Test
    void inceptionScoreMatchesAdmWithBothSplitSizes() {
        INDArray softmax = EvalGolden.npy("softmax_sample.npy");
        double rtol = EvalGolden.metricTolerance("inception_score").get("rtol").asDouble();
        double is = InceptionScore.of(softmax, InceptionScore.ADM_SPLIT_SIZE);
        assertThat(is).isCloseTo(EvalGolden.metric("inception_score"), within(rtol * EvalGolden.metric("inception_score")));
        double is50 = InceptionScore.of(softmax, 50);
        double expected50 = EvalGolden.metric("inception_score_split_50");
        assertThat(is50).isCloseTo(expected50, within(rtol * expected50));
    }

    @Test
    void inceptionScoreIsOneForIdenticalPredictionsAndKForConfidentUniformOnes() {
        INDArray same = Nd4j.rand(DataType.FLOAT, 1, 10).addi(0.1);
        same.divi(same.sumNumber());
        assertThat(InceptionScore.of(same.repeat(0, 20), 5000)).isCloseTo(1.0, within(1e-6));
        // one-hot predictions spread evenly over K classes: exp(log K) = K, zeros included
        assertThat(InceptionScore.of(Nd4j.eye(7).castTo(DataType.FLOAT), 5000)).isCloseTo(7.0, within(1e-9));
    }

    @Test
    void precisionAndRecallMatchAdm() {
        PrecisionRecall pr = PrecisionRecall.of(REF, SAMPLE);
        assertThat(pr.precision()).isCloseTo(EvalGolden.metric("precision"),
                within(EvalGolden.metricTolerance("precision").get("atol").asDouble()));
        assertThat(pr.recall()).isCloseTo(EvalGolden.metric("recall"),
                within(EvalGolden.metricTolerance("recall").get("atol").asDouble()));
    }

    @Test
    void precisionAndRecallDoNotDependOnTheBlockSize() {
        PrecisionRecall whole = PrecisionRecall.of(REF, SAMPLE, 3, 4096);
        PrecisionRecall blocked = PrecisionRecall.of(REF, SAMPLE, 3, 37);
        assertThat(blocked).isEqualTo(whole);
    }

    @Test
    void radiusIsTheThirdNearestOtherPoint() {
        // points on a line at 0, 1, 3, 6, 10: the 3rd nearest other point of 0 is 6 (squared 36)
        INDArray line = Nd4j.create(new float[] {0, 1, 3, 6, 10}, 5, 1);
        INDArray radii = PrecisionRecall.radii(line, 3, 2);
        assertThat(radii.toFloatVector()).containsExactly(36f, 25f, 9f, 25f, 81f);
    }
}
