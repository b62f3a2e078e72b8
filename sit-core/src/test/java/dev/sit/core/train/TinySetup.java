package dev.sit.core.train;

import dev.sit.api.transport.Affine;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.LossWeight;
import dev.sit.api.transport.PathCoefficients;
import dev.sit.api.transport.PredictionTarget;
import dev.sit.api.transport.Regression;
import dev.sit.core.io.SafetensorsFile;
import dev.sit.core.model.SitConfig;
import dev.sit.core.model.SitModel;
import dev.sit.core.transport.Transport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A tiny SiT and the Linear/velocity transport, written out here because core tests see no plugins. */
public final class TinySetup {

    private TinySetup() {
    }

    public static SitConfig config() {
        return new SitConfig(32, 1, 2, 2, 8, 3, 4, false, 2.0, 0.1);
    }

    public static Transport linearVelocity() {
        Interpolant linear = new Interpolant() {
            public double alpha(double t) {
                return t;
            }

            public double dAlpha(double t) {
                return 1;
            }

            public double sigma(double t) {
                return 1 - t;
            }

            public double dSigma(double t) {
                return -1;
            }
        };
        PredictionTarget velocity = new PredictionTarget() {
            public Regression regression(PathCoefficients c) {
                return new Regression(1, c.dAlpha(), c.dSigma());
            }

            public Affine toVelocity(PathCoefficients c) {
                return new Affine(1, 0);
            }

            public Affine toScore(PathCoefficients c) {
                double r = c.alpha() / c.dAlpha();
                double d = c.sigma() * c.sigma() - r * c.dSigma() * c.sigma();
                return new Affine(r / d, -1 / d);
            }

            public boolean isVelocity() {
                return true;
            }
        };
        LossWeight none = new LossWeight() { // the bundled "none" weight: uniform, so no warning
            public double weight(PathCoefficients c) {
                return 1.0;
            }

            public boolean isUniform() {
                return true;
            }
        };
        return Transport.create(linear, velocity, none, null, null);
    }

    /**
     * A small pixel-space SiT (8x8 RGB, 5 classes, learned sigma) with random weights large enough
     * to draw distinct images, saved as {@code pixels.safetensors} in {@code dir}.
     */
    public static Path pixelModel(Path dir) throws IOException {
        SitConfig config = new SitConfig(32, 1, 2, 2, 8, 3, 5, true, 4.0, 0.1);
        Map<String, INDArray> weights = new LinkedHashMap<>(SitModel.initialised(config, 0).stateDict());
        Nd4j.getRandom().setSeed(42);
        for (Map.Entry<String, INDArray> e : weights.entrySet()) {
            if (!e.getKey().equals("pos_embed")) {
                e.setValue(Nd4j.randn(DataType.FLOAT, e.getValue().shape()).muli(0.05));
            }
        }
        Path file = dir.resolve("pixels.safetensors");
        SafetensorsFile.write(file, weights, Map.of());
        return file;
    }
}
