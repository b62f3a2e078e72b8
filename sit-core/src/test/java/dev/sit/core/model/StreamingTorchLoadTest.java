package dev.sit.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.core.io.TensorSource;
import dev.sit.core.io.WeightsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The golden reference {@code .pt} files read one storage at a time: the same tensors as reading the
 * whole file, the same model, and never more than one tensor alive outside the model while loading.
 */
class StreamingTorchLoadTest {

    /** Tracks the bytes of tensors read from a source and not yet released by the model. */
    private static final class LiveBytes implements TensorSource {
        final TensorSource inner;
        long live;
        long peak;
        long largest;

        LiveBytes(TensorSource inner) {
            this.inner = inner;
        }

        public List<String> keys() {
            return inner.keys();
        }

        public long[] shape(String key) {
            return inner.shape(key);
        }

        public boolean isFloatingPoint(String key) {
            return inner.isFloatingPoint(key);
        }

        public INDArray read(String key) throws IOException {
            INDArray a = inner.read(key);
            long bytes = a.length() * a.dataType().width();
            live += bytes;
            peak = Math.max(peak, live);
            largest = Math.max(largest, bytes);
            return a;
        }

        @Override
        public void release(INDArray tensor) {
            live -= tensor.length() * tensor.dataType().width();
            inner.release(tensor);
        }
    }

    private static void assertSameTensors(TensorSource streamed, Map<String, INDArray> whole) throws IOException {
        assertThat(streamed.keys()).containsExactlyElementsOf(whole.keySet());
        for (String k : whole.keySet()) {
            assertThat(streamed.shape(k)).as(k).containsExactly(whole.get(k).shape());
            INDArray a = streamed.read(k);
            assertThat(a).as(k).isEqualTo(whole.get(k));
            // read afresh each time, nothing kept by the source: a second read is a new array
            INDArray b = streamed.read(k);
            assertThat(b.data()).as(k).isNotSameAs(a.data());
        }
    }

    @Test
    void aBareStateDictStreamsTheSameTensorsAsAWholeRead() throws IOException {
        Path pt = Golden.path("model-tiny", "model.pt");
        try (TensorSource streamed = WeightsFile.openForSampling(pt, new ExpectedStateDict(TinyWeights.config()))) {
            assertSameTensors(streamed, TinyWeights.modelTiny());
        }
    }

    @Test
    void aTrainingCheckpointStreamsItsEmaForSamplingAndItsModelForTraining() throws IOException {
        Path pt = Golden.path("train-checkpoint", "0000002.pt");
        ExpectedStateDict fit = new ExpectedStateDict(TinyWeights.config());
        try (TensorSource ema = WeightsFile.openForSampling(pt, fit)) {
            assertSameTensors(ema, TinyWeights.checkpointEma());
        }
        try (TensorSource model = WeightsFile.openForTraining(pt, fit)) {
            assertSameTensors(model, TinyWeights.checkpointModel());
        }
    }

    @Test
    void aModelLoadedByStreamingEqualsOneLoadedFromTheWholeFileAndHoldsOneTensorAtATime() throws IOException {
        Path pt = Golden.path("model-tiny", "model.pt");
        SitModel whole = SitModel.withWeights(TinyWeights.config(), TinyWeights.modelTiny(), "map");
        SitModel streamed;
        LiveBytes counting;
        try (TensorSource tensors = WeightsFile.openForSampling(pt, new ExpectedStateDict(TinyWeights.config()))) {
            counting = new LiveBytes(tensors);
            streamed = SitModel.withWeights(TinyWeights.config(), counting, pt.toString(), DataType.FLOAT);
        }
        Map<String, INDArray> a = whole.stateDict();
        Map<String, INDArray> b = streamed.stateDict();
        for (String k : a.keySet()) {
            assertThat(b.get(k)).as(k).isEqualTo(a.get(k));
        }
        assertThat(counting.live).isZero();
        assertThat(counting.peak).as("bytes read and not yet released").isEqualTo(counting.largest);
    }
}
