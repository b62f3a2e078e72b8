package dev.sit.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sit.core.transport.TrainingLoss;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** fit with a GradientCapture sums SameDiff's gradients and leaves every weight as it was. */
class GradientCaptureTest {

    @Test
    void fitCollectsTheGradientsOfEachBatchAndChangesNoWeight() {
        SitConfig config = TinyWeights.config();
        SitModel model = SitModel.initialised(config, 11);
        model.addLoss(TrainingLoss.LOSS, (sd, out) -> TrainingLoss.define(sd, out, model.outputShape()).loss());
        List<String> parameters = model.trainableVariableNames();
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(5);
        INDArray[] a = features(config, rng);
        INDArray[] b = features(config, rng);
        INDArray[] expected = new INDArray[parameters.size()];
        for (INDArray[] f : List.of(a, b)) {
            Map<String, INDArray> ph = model.placeholders(f[0], f[1], f[2]);
            ph.put(TrainingLoss.TARGET, f[3]);
            ph.put(TrainingLoss.OUT_SCALE, f[4]);
            ph.put(TrainingLoss.WEIGHT, f[5]);
            Map<String, INDArray> g = model.sameDiff().calculateGradients(ph, parameters);
            for (int i = 0; i < expected.length; i++) {
                INDArray gi = g.get(parameters.get(i)).dup();
                expected[i] = expected[i] == null ? gi : expected[i].addi(gi);
            }
        }
        Map<String, INDArray> before = model.stateDict();

        model.sameDiff().setTrainingConfig(TrainingConfig.builder().updater(new GradientCapture())
                .dataSetFeatureMapping(SitModel.INPUT_X, SitModel.INPUT_T, SitModel.INPUT_Y, TrainingLoss.TARGET,
                        TrainingLoss.OUT_SCALE, TrainingLoss.WEIGHT)
                .markLabelsUnused().build());
        model.sameDiff().fit(new MultiDataSet(a, new INDArray[0]));
        model.sameDiff().fit(new MultiDataSet(b, new INDArray[0]));
        INDArray[] got = GradientCapture.take(model.sameDiff(), parameters);

        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(expected[i].amaxNumber().doubleValue(), 1e-12);
            assertThat(Transforms.abs(got[i].sub(expected[i])).maxNumber().doubleValue() / scale)
                    .as(parameters.get(i)).isLessThan(1e-5);
        }
        // some gradient is not zero: an updater that collected nothing would pass the comparison above
        assertThat(got[parameters.indexOf("final_layer.linear.weight")].amaxNumber().doubleValue()).isGreaterThan(0);
        Map<String, INDArray> after = model.stateDict();
        for (String k : before.keySet()) {
            assertThat(after.get(k).equalsWithEps(before.get(k), 0.0)).as(k + " unchanged").isTrue();
        }
        // taken means reset: a second take without a fit has nothing to give
        assertThatThrownBy(() -> GradientCapture.take(model.sameDiff(), parameters))
                .hasMessageContaining("no gradient was collected");

        // the same two batches again: the mean is the sum over the two fits halved, bit for bit
        model.sameDiff().fit(new MultiDataSet(a, new INDArray[0]));
        model.sameDiff().fit(new MultiDataSet(b, new INDArray[0]));
        INDArray[] mean = GradientCapture.takeMean(model.sameDiff(), parameters);
        for (int i = 0; i < mean.length; i++) {
            assertThat(mean[i].equalsWithEps(got[i].div(2), 0.0)).as(parameters.get(i) + " mean").isTrue();
        }
        // the count restarts after a take: one fit's mean is that fit's gradient, not a third of it
        model.sameDiff().fit(new MultiDataSet(a, new INDArray[0]));
        INDArray[] one = GradientCapture.takeMean(model.sameDiff(), parameters);
        model.sameDiff().fit(new MultiDataSet(a, new INDArray[0]));
        INDArray[] sumOfOne = GradientCapture.take(model.sameDiff(), parameters);
        for (int i = 0; i < one.length; i++) {
            assertThat(one[i].equalsWithEps(sumOfOne[i], 0.0)).as(parameters.get(i) + " mean of one fit").isTrue();
        }
    }

    private static INDArray[] features(SitConfig config, Random rng) {
        INDArray x = Nd4j.randn(rng, 4, 4, 8, 8);
        INDArray t = Nd4j.createFromArray(0.1f, 0.4f, 0.6f, 0.9f);
        INDArray y = new LabelDropout(config).apply(Nd4j.createFromArray(1, 2, 3, 4), rng);
        INDArray target = Nd4j.randn(rng, 4, 4, 8, 8);
        return new INDArray[] {x, t, y, target, Nd4j.ones(DataType.FLOAT, 4, 1, 1, 1), Nd4j.ones(DataType.FLOAT, 4)};
    }
}
