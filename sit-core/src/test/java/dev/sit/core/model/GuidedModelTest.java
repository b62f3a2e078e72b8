package dev.sit.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class GuidedModelTest {

    private static final String TINY = "model-tiny";
    private static SitModel model;

    @BeforeAll
    static void load() {
        model = SitModel.withWeights(TinyWeights.config(), TinyWeights.modelTiny(), "model-tiny/model.pt");
    }

    @Test
    void referenceGuidedForwardMatchesGolden() {
        GuidedModel guided = new GuidedModel(model, Guidance.reference(4.0));
        INDArray out = guided.forwardWithCfg(Golden.npy(TINY, "x_cfg.npy"), Golden.npy(TINY, "t_cfg.npy"),
                Golden.npy(TINY, "y_cfg.npy"), 4.0);
        Golden.assertMatches(out, TINY, "out_cfg.npy");
    }

    @Test
    void velocityOutEqualsReferenceLayoutFirstHalf() {
        INDArray x = Golden.npy(TINY, "x.npy").get(NDArrayIndex.interval(0, 2));
        INDArray labels = Nd4j.createFromArray(3, 7);
        double t = 0.3;
        GuidedModel guided = new GuidedModel(model, Guidance.reference(2.5));
        INDArray v = guided.velocityOut(x, t, labels);
        INDArray ref = guided.forwardWithCfg(Nd4j.concat(0, x, x), Nd4j.valueArrayOf(new long[] {4}, t, DataType.FLOAT),
                Nd4j.createFromArray(3, 7, 10, 10), 2.5);
        Golden.assertClose(v, ref.get(NDArrayIndex.interval(0, 2)), 1e-5, 1e-6, "velocityOut vs forwardWithCfg");
        // channel 3 is the plain conditional output
        INDArray cond = model.forward(x, Nd4j.valueArrayOf(new long[] {2}, t, DataType.FLOAT), labels);
        Golden.assertClose(v.get(NDArrayIndex.all(), NDArrayIndex.point(3)), cond.get(NDArrayIndex.all(),
                NDArrayIndex.point(3)), 1e-5, 1e-6, "unguided channel");
    }

    @Test
    void allChannelGuidanceIsStandardFormula() {
        INDArray x = Golden.npy(TINY, "x.npy").get(NDArrayIndex.interval(0, 2));
        INDArray labels = Nd4j.createFromArray(1, 2);
        INDArray t = Nd4j.valueArrayOf(new long[] {2}, 0.6, DataType.FLOAT);
        INDArray cond = model.forward(x, t, labels);
        INDArray uncond = model.forward(x, t, Nd4j.createFromArray(10, 10));
        INDArray expected = uncond.add(cond.sub(uncond).mul(3.0));
        INDArray v = new GuidedModel(model, Guidance.of(3.0, Guidance.Channels.ALL)).velocityOut(x, 0.6, labels);
        Golden.assertClose(v, expected, 1e-5, 1e-5, "all-channel guidance");
        assertThat(v.sub(cond).amaxNumber().doubleValue()).isGreaterThan(1e-3);
    }

    @Test
    void outsideTheIntervalTheConditionalOutputIsUsed() {
        INDArray x = Golden.npy(TINY, "x.npy").get(NDArrayIndex.interval(0, 2));
        INDArray labels = Nd4j.createFromArray(4, 5);
        GuidedModel guided = new GuidedModel(model, Guidance.of(4.0, Guidance.Channels.ALL).withInterval(0.2, 0.5));
        INDArray cond = model.forward(x, Nd4j.valueArrayOf(new long[] {2}, 0.8, DataType.FLOAT), labels);
        Golden.assertClose(guided.velocityOut(x, 0.8, labels), cond, 0, 0, "outside the interval");
        INDArray inside = guided.velocityOut(x, 0.35, labels);
        INDArray condInside = model.forward(x, Nd4j.valueArrayOf(new long[] {2}, 0.35, DataType.FLOAT), labels);
        assertThat(inside.sub(condInside).amaxNumber().doubleValue()).isGreaterThan(1e-3);
        // per-sample interval in the reference layout: sample 0 inside, sample 1 outside
        INDArray tt = Nd4j.createFromArray(0.35f, 0.8f, 0.35f, 0.8f);
        INDArray y = Nd4j.createFromArray(4, 5, 10, 10);
        INDArray out = guided.forwardWithCfg(Nd4j.concat(0, x, x), tt, y, 4.0);
        INDArray plain = model.forward(Nd4j.concat(0, x, x), tt, y);
        Golden.assertClose(out.get(NDArrayIndex.interval(1, 2)), plain.get(NDArrayIndex.interval(1, 2)), 1e-6, 1e-6,
                "sample outside the interval");
        assertThat(out.get(NDArrayIndex.interval(0, 1)).sub(plain.get(NDArrayIndex.interval(0, 1))).amaxNumber()
                .doubleValue()).isGreaterThan(1e-3);
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> Guidance.Channels.parse("two")).hasMessageContaining("first3");
        assertThatThrownBy(() -> Guidance.of(2, Guidance.Channels.ALL).withInterval(0.8, 0.2))
                .hasMessageContaining("low <= high");
        SitConfig noNull = new SitConfig(64, 1, 4, 2, 8, 4, 10, false, 4.0, 0.0);
        SitModel m = SitModel.initialised(noNull, 1);
        assertThatThrownBy(() -> new GuidedModel(m, Guidance.reference(4))).hasMessageContaining("null");
        assertThatThrownBy(() -> new GuidedModel(model, Guidance.reference(4)).forwardWithCfg(
                Nd4j.zeros(3, 4, 8, 8), Nd4j.zeros(3), Nd4j.zeros(DataType.INT32, 3), 4))
                .hasMessageContaining("even batch");
    }
}
