package dev.sit.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** The vector-Jacobian product against central finite differences, in float64. */
class SitModelVjpTest {

    @Test
    void vjpMatchesCentralFiniteDifferences() {
        Map<String, INDArray> w = new LinkedHashMap<>();
        TinyWeights.modelTiny().forEach((k, v) -> w.put(k, v.castTo(DataType.DOUBLE)));
        SitModel model = SitModel.withWeights(TinyWeights.config(), w, "model-tiny (float64)", DataType.DOUBLE);
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(7);
        INDArray x = Nd4j.randn(rng, 2, 4, 8, 8).castTo(DataType.DOUBLE);
        INDArray t = Nd4j.createFromArray(0.3, 0.85);
        INDArray y = Nd4j.createFromArray(2, 10);
        INDArray v = Nd4j.randn(rng, 2, 4, 8, 8).castTo(DataType.DOUBLE);
        INDArray vjp = model.vjp(x, t, y, v);
        assertThat(vjp.shape()).isEqualTo(x.shape());
        assertThat(vjp.dataType()).isEqualTo(DataType.DOUBLE);
        double h = 1e-4;
        for (int k = 0; k < 3; k++) {
            INDArray u = Nd4j.randn(rng, 2, 4, 8, 8).castTo(DataType.DOUBLE);
            double plus = model.forward(x.add(u.mul(h)), t, y).mul(v).sumNumber().doubleValue();
            double minus = model.forward(x.sub(u.mul(h)), t, y).mul(v).sumNumber().doubleValue();
            double numeric = (plus - minus) / (2 * h);
            double analytic = vjp.mul(u).sumNumber().doubleValue();
            // central differences in float64: error O(h^2) ~ 1e-8 relative to the O(10) derivatives
            assertThat(analytic).as("direction " + k).isCloseTo(numeric, org.assertj.core.data.Offset.offset(
                    1e-6 * Math.max(1.0, Math.abs(numeric))));
        }
        // a second call with another batch size reuses the gradient graph
        INDArray one = model.vjp(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)),
                t.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)),
                y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)),
                v.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)));
        Golden.assertClose(one, vjp.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)), 1e-9, 1e-12,
                "batch 1 vs batch 2 vjp");
    }

    @Test
    void aTrainingModelRefusesVjp() {
        SitModel m = SitModel.initialised(TinyWeights.config(), 3);
        m.addLoss("loss", (sd, out) -> sd.mean(out.mul(out)));
        assertThatThrownBy(() -> m.vjp(Nd4j.zeros(1, 4, 8, 8), Nd4j.zeros(1), Nd4j.zeros(DataType.INT32, 1),
                Nd4j.zeros(1, 4, 8, 8))).hasMessageContaining("separate");
    }
}
