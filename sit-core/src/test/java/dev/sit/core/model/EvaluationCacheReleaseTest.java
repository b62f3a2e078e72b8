package dev.sit.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Freeing the evaluation sessions' caches keeps earlier outputs and the model's results intact. */
class EvaluationCacheReleaseTest {

    private static final String TINY = "model-tiny";

    @Test
    void outputsSurviveAndTheNextForwardMatchesTheReference() {
        SitModel model = SitModel.withWeights(TinyWeights.config(), TinyWeights.modelTiny(), "model-tiny/model.pt");
        INDArray x = Golden.npy(TINY, "x.npy");
        INDArray t = Golden.npy(TINY, "t.npy");
        INDArray y = Golden.npy(TINY, "y.npy");
        INDArray first = model.forward(x, t, y);
        INDArray copy = first.dup();
        model.releaseEvaluationCaches();
        assertThat(model.sameDiff().getSessions()).isEmpty();
        assertThat(first.equalsWithEps(copy, 0.0)).as("an output returned before the release").isTrue();
        INDArray again = model.forward(x, t, y);
        assertThat(again.equalsWithEps(copy, 0.0)).as("a forward pass after the release").isTrue();
        Golden.assertMatches(again, TINY, "out.npy");
    }
}
