package dev.sit.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.core.transport.TrainingLoss;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** The graph trains with TrainingConfig + fit and the transport's loss (as the training loop will). */
class SitModelTrainingTest {

    @Test
    void fitLowersTheLossAndUpdatesEveryTrainedParameter() {
        SitConfig config = TinyWeights.config();
        SitModel model = SitModel.initialised(config, 11);
        Map<String, INDArray> before = model.stateDict();
        model.addLoss(TrainingLoss.LOSS, (sd, out) -> TrainingLoss.define(sd, out, model.outputShape()).loss());
        model.sameDiff().setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3))
                .dataSetFeatureMapping(SitModel.INPUT_X, SitModel.INPUT_T, SitModel.INPUT_Y, TrainingLoss.TARGET,
                        TrainingLoss.OUT_SCALE, TrainingLoss.WEIGHT)
                .markLabelsUnused().build());
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(5);
        INDArray x = Nd4j.randn(rng, 4, 4, 8, 8);
        INDArray t = Nd4j.createFromArray(0.1f, 0.4f, 0.6f, 0.9f);
        INDArray y = new LabelDropout(config).apply(Nd4j.createFromArray(1, 2, 3, 4), rng);
        INDArray target = Nd4j.randn(rng, 4, 4, 8, 8);
        INDArray[] features = {x, t, y, target, Nd4j.ones(DataType.FLOAT, 4, 1, 1, 1), Nd4j.ones(DataType.FLOAT, 4)};
        double first = loss(model, features);
        for (int i = 0; i < 40; i++) {
            model.sameDiff().fit(new MultiDataSet(features, new INDArray[0]), new GarbageCollectionPerStep());
        }
        double last = loss(model, features);
        assertThat(last).isLessThan(0.9 * first);
        Map<String, INDArray> after = model.stateDict();
        for (String k : model.trainableVariableNames()) {
            assertThat(after.get(k).equalsWithEps(before.get(k), 0.0)).as(k + " changed").isFalse();
        }
        assertThat(after.get("pos_embed").equalsWithEps(before.get("pos_embed"), 0.0)).isTrue();
    }

    private static double loss(SitModel model, INDArray[] f) {
        Map<String, INDArray> ph = model.placeholders(f[0], f[1], f[2]);
        ph.put(TrainingLoss.TARGET, f[3]);
        ph.put(TrainingLoss.OUT_SCALE, f[4]);
        ph.put(TrainingLoss.WEIGHT, f[5]);
        return model.sameDiff().output(ph, TrainingLoss.LOSS).get(TrainingLoss.LOSS).getDouble(0);
    }

    @Test
    void labelDropoutReplacesAboutTheConfiguredShareWithTheNullLabel() {
        LabelDropout dropout = new LabelDropout(TinyWeights.config());
        INDArray labels = Nd4j.zeros(DataType.INT32, 10000).addi(3);
        INDArray dropped = dropout.apply(labels, Nd4j.getRandomFactory().getNewRandomInstance(1));
        long nulls = Arrays.stream(dropped.toIntVector()).filter(v -> v == 10).count();
        long kept = Arrays.stream(dropped.toIntVector()).filter(v -> v == 3).count();
        assertThat(nulls + kept).isEqualTo(10000);
        assertThat(nulls).isBetween(900L, 1100L);
    }
}
