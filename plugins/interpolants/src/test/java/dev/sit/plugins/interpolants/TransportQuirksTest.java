package dev.sit.plugins.interpolants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sit.api.transport.Interpolant;
import dev.sit.core.transport.Interval;
import dev.sit.core.transport.IntervalRequest;
import dev.sit.core.transport.TrainingSample;
import dev.sit.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The reference's quirks that {@link Transport} keeps on purpose, one test each, and its validation. */
class TransportQuirksTest {

    static Transport transport(String path, String prediction, String weight, Double trainEps, Double sampleEps) {
        return Transport.create(BundledPlugins.path(path), BundledPlugins.target(prediction),
                BundledPlugins.weight(weight), trainEps, sampleEps);
    }

    @Test
    void quirk_sampleEpsDefaultTestsTrainEps_givenSampleEpsIgnoredWhenTrainEpsMissing() {
        assertThat(transport("VP", "velocity", "none", null, 0.05).sampleEps()).isEqualTo(1e-3);
        assertThat(transport("Linear", "score", "none", null, 0.05).sampleEps()).isEqualTo(1e-3);
        assertThat(transport("GVP", "noise", "none", null, 0.2).sampleEps()).isEqualTo(1e-3);
    }

    @Test
    void quirk_sampleEpsStaysUnsetWhenOnlyTrainEpsGiven_samplingFailsWithAClearMessage() {
        Transport t = transport("VP", "velocity", "none", 1e-4, null);
        assertThat(t.trainEps()).isEqualTo(1e-4);
        assertThat(t.hasSampleEps()).isFalse();
        // training still works, as in the reference
        assertThat(t.interval(IntervalRequest.training())).isEqualTo(new Interval(0, 1 - 1e-4));
        assertThatThrownBy(() -> t.interval(IntervalRequest.ode(false)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sample_eps is unset").hasMessageContaining("give sample_eps");
        assertThatThrownBy(t::sampleEps).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void quirk_velocityOnLinearOrGvpForcesBothEpsToZero() {
        for (String path : List.of("Linear", "GVP")) {
            Transport t = transport(path, "velocity", "none", 0.1, 0.2);
            assertThat(t.trainEps()).as(path).isZero();
            assertThat(t.sampleEps()).as(path).isZero();
            assertThat(t.interval(IntervalRequest.ode(false))).isEqualTo(new Interval(0, 1));
        }
    }

    @Test
    void quirk_velocitySdeWithSbdmStartsAtZeroWhereSbdmIsInfinite() {
        Transport t = transport("Linear", "velocity", "none", null, null);
        Interval interval = t.interval(IntervalRequest.sde(true, 0.04));
        assertThat(interval).isEqualTo(new Interval(0, 0.96));
        // SBDM's diffusion is norm * drift_var, which is infinite at t0 = 0 for Linear
        assertThat(t.driftVar(interval.t0())).isInfinite();
    }

    @Test
    void quirk_vpIntervalKeepsT0AtZeroForEveryTarget() {
        for (String prediction : List.of("velocity", "score", "noise")) {
            Transport t = transport("VP", prediction, "none", null, null);
            assertThat(t.interval(IntervalRequest.sde(true, 0.0)).t0()).as(prediction).isZero();
            assertThat(t.interval(IntervalRequest.training())).as(prediction).isEqualTo(new Interval(0, 1 - 1e-5));
        }
    }

    @Test
    void quirk_sdeLastStepSizeReplacesEpsAtTheDataEnd() {
        Transport t = transport("Linear", "noise", "none", null, null);
        assertThat(t.interval(IntervalRequest.sde(false, 0.04))).isEqualTo(new Interval(1e-3, 1 - 0.04));
        assertThat(t.interval(IntervalRequest.sde(false, 0.0))).isEqualTo(new Interval(1e-3, 1 - 1e-3));
    }

    @Test
    void quirk_reverseIntervalIsOneMinusInDouble() {
        Transport t = transport("Linear", "score", "none", null, null);
        assertThat(t.interval(IntervalRequest.ode(true))).isEqualTo(new Interval(0.999, 0.0010000000000000009));
    }

    @Test
    void quirk_velocityTargetIgnoresTheLossWeight_warnsOnceAtCreation() {
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(Transport.class.getName());
        logger.addHandler(handler);
        try {
            Transport weighted = transport("GVP", "velocity", "likelihood", null, null);
            Transport plain = transport("GVP", "velocity", "none", null, null);
            assertThat(weighted.weightIgnored()).isTrue();
            assertThat(weighted.ignoredWeightWarning()).get().asString()
                    .contains("'likelihood'").contains("velocity").contains("ignored");
            assertThat(plain.weightIgnored()).isFalse();
            assertThat(records).hasSize(1);
            assertThat(records.get(0).getMessage()).isEqualTo(weighted.ignoredWeightWarning().orElseThrow());

            // and the loss really is unweighted, without further warnings
            INDArray x1 = Nd4j.rand(DataType.FLOAT, 3, 2, 4, 4);
            INDArray x0 = Nd4j.randn(DataType.FLOAT, 3, 2, 4, 4);
            INDArray t = Nd4j.createFromArray(0.2f, 0.5f, 0.9f);
            INDArray out = Nd4j.randn(DataType.FLOAT, 3, 2, 4, 4);
            TrainingSample a = weighted.trainingSample(x1, x0, t);
            TrainingSample b = plain.trainingSample(x1, x0, t);
            assertThat(weighted.perSampleLoss(a, out)).isEqualTo(plain.perSampleLoss(b, out));
            assertThat(records).hasSize(1);
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void epsOutsideTheAllowedRangeIsRejectedClearly() {
        Interpolant vp = BundledPlugins.path("VP");
        for (double bad : new double[] {-1e-3, 0.5, 0.7, Double.NaN}) {
            assertThatThrownBy(() -> Transport.create(vp, BundledPlugins.target("noise"), BundledPlugins.weight("none"),
                    bad, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("train_eps must be in [0, 0.5)").hasMessageContaining(String.valueOf(bad));
            assertThatThrownBy(() -> Transport.create(vp, BundledPlugins.target("noise"), BundledPlugins.weight("none"),
                    null, bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sample_eps must be in [0, 0.5)");
        }
        assertThat(Transport.create(vp, BundledPlugins.target("noise"), BundledPlugins.weight("none"), 0.0, 0.499)
                .sampleEps()).isEqualTo(0.499);
    }

    @Test
    void timeOutsideTheUnitIntervalIsRejectedClearly() {
        Transport t = transport("Linear", "noise", "none", null, null);
        assertThatThrownBy(() -> t.coefficients(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("t must be in [0, 1]").hasMessageContaining("1.5");
        assertThatThrownBy(() -> t.coefficients(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.coefficients(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        INDArray x = Nd4j.zeros(DataType.FLOAT, 2, 1, 2, 2);
        assertThatThrownBy(() -> t.trainingSample(x, x, Nd4j.createFromArray(0.5f, 1.2f)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t[1] must be in [0, 1]");
        assertThatThrownBy(() -> t.trainingSample(x, x, Nd4j.createFromArray(0.5f, 0.2f, 0.1f)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one time per sample");
        assertThatThrownBy(() -> t.trainingSample(x, Nd4j.zeros(DataType.FLOAT, 2, 1, 2, 3), Nd4j.createFromArray(0.5f, 0.2f)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x0 must have the shape of x1");
        assertThatThrownBy(() -> IntervalRequest.sde(true, -0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("last_step_size");
    }

    @Test
    void unknownPluginNamesAreReportedWithTheKnownOnes() {
        assertThatThrownBy(() -> BundledPlugins.path("Cosine")).hasMessageContaining("Linear").hasMessageContaining("VP");
    }
}
