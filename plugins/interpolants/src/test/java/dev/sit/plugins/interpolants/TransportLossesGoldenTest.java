package dev.sit.plugins.interpolants;

import dev.sit.core.transport.TrainingSample;
import dev.sit.core.transport.Transport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Golden case transport-losses: the per-sample training loss for 3 paths x 3 predictions x 3 loss
 * weights, and get_drift / get_score for every path x prediction, from the reference implementation.
 */
class TransportLossesGoldenTest {

    static final String[] PATHS = {"Linear", "GVP", "VP"};
    static final String[] PREDICTIONS = {"velocity", "score", "noise"};
    static final String[] WEIGHTS = {"none", "velocity", "likelihood"};

    static GoldenCase golden;

    @BeforeAll
    static void load() {
        golden = GoldenCase.load("transport-losses");
    }

    @Test
    void perSampleLossesMatchTheReferenceForEveryCombination() {
        INDArray x1 = golden.array("x1.npy").toFloat();
        INDArray x0 = golden.array("x0.npy").toFloat();
        INDArray t = golden.array("t.npy").toFloat();
        INDArray pred = golden.array("pred.npy").toFloat();
        NpyArray expected = golden.array("losses.npy");
        Tolerance tol = golden.tolerance("losses.npy");
        int checked = 0;
        for (int p = 0; p < PATHS.length; p++) {
            for (int q = 0; q < PREDICTIONS.length; q++) {
                for (int w = 0; w < WEIGHTS.length; w++) {
                    Transport transport = Transport.create(BundledPlugins.path(PATHS[p]),
                            BundledPlugins.target(PREDICTIONS[q]), BundledPlugins.weight(WEIGHTS[w]), null, null);
                    TrainingSample sample = transport.trainingSample(x1, x0, t);
                    double[] actual = transport.perSampleLoss(sample, pred).castTo(DataType.DOUBLE).toDoubleVector();
                    tol.check("loss " + PATHS[p] + "/" + PREDICTIONS[q] + "/" + WEIGHTS[w], actual,
                            expected.slice(p, q, w));
                    checked += actual.length;
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(checked).isEqualTo(expected.data().length);
    }

    /** The fake drift/score model of the manifest: out(x, t) = 0.3 x + 0.1 t, t broadcast per sample. */
    static INDArray fakeModel(INDArray x, INDArray t) {
        INDArray column = t.reshape(t.length(), 1, 1, 1).mul(0.1f);
        return x.mul(0.3f).addi(column.broadcast(x.shape()));
    }

    @Test
    void driftAndScoreMatchTheReferenceForEveryPathAndPrediction() {
        INDArray x = golden.array("x_eval.npy").toFloat();
        INDArray t = golden.array("t_eval.npy").toFloat();
        INDArray out = fakeModel(x, t);
        NpyArray drift = golden.array("drift.npy");
        NpyArray score = golden.array("score.npy");
        Tolerance driftTol = golden.tolerance("drift.npy");
        Tolerance scoreTol = golden.tolerance("score.npy");
        for (int p = 0; p < PATHS.length; p++) {
            for (int q = 0; q < PREDICTIONS.length; q++) {
                Transport transport = Transport.create(BundledPlugins.path(PATHS[p]),
                        BundledPlugins.target(PREDICTIONS[q]), BundledPlugins.weight("none"), null, null);
                String what = PATHS[p] + "/" + PREDICTIONS[q];
                driftTol.check("drift " + what, flat(transport.velocity(x, out, t)), drift.slice(p, q));
                scoreTol.check("score " + what, flat(transport.score(x, out, t)), score.slice(p, q));
            }
        }
    }

    static double[] flat(INDArray a) {
        return a.dup('c').castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }
}
