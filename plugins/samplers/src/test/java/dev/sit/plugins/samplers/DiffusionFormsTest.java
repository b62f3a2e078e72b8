package dev.sit.plugins.samplers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.sampling.DiffusionForm;
import dev.sit.api.testkit.DiffusionFormContract;
import dev.sit.api.transport.PathCoefficients;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The six diffusion forms pass the test kit, with the reference's float64 table
 * (golden/transport-coefficients {@code diffusion_f64.npy}: 3 paths x 6 forms x 2 norms x 9 times,
 * computed by the official {@code compute_diffusion}) as their known values; the path
 * coefficients come from the same case's float64 tables.
 */
class DiffusionFormsTest {

    private static final GoldenCase GOLDEN = GoldenCase.load("transport-coefficients");
    private static final String[] FORMS = {"constant", "SBDM", "sigma", "linear", "decreasing", "inccreasing-decreasing"};
    private static final double[] NORMS = {1.0, 0.5};

    /** Known values of the form at index {@code form} in the reference's table, all paths, norms and times. */
    static List<DiffusionFormContract.KnownValue> referenceValues(int form) {
        INDArray table = GOLDEN.array("diffusion_f64.npy");
        double[] t = GOLDEN.doubles("t_f64.npy");
        INDArray alpha = GOLDEN.array("alpha_t_f64.npy");
        INDArray dAlpha = GOLDEN.array("d_alpha_t_f64.npy");
        INDArray sigma = GOLDEN.array("sigma_t_f64.npy");
        INDArray dSigma = GOLDEN.array("d_sigma_t_f64.npy");
        INDArray ratio = GOLDEN.array("d_alpha_alpha_ratio_f64.npy");
        INDArray driftMean = GOLDEN.array("drift_mean_coef_f64.npy");
        INDArray driftVar = GOLDEN.array("drift_var_f64.npy");
        List<DiffusionFormContract.KnownValue> out = new ArrayList<>();
        for (int path = 0; path < 3; path++) {
            for (int i = 0; i < t.length; i++) {
                PathCoefficients c = new PathCoefficients(t[i], alpha.getDouble(path, i), dAlpha.getDouble(path, i),
                        sigma.getDouble(path, i), dSigma.getDouble(path, i), ratio.getDouble(path, i),
                        driftMean.getDouble(path, i), driftVar.getDouble(path, i));
                for (int n = 0; n < NORMS.length; n++) {
                    out.add(new DiffusionFormContract.KnownValue(c, NORMS[n], table.getDouble(path, form, n, i)));
                }
            }
        }
        return out;
    }

    abstract static class Form extends DiffusionFormContract {
        private final int index;

        Form(int index) {
            this.index = index;
        }

        @Override
        protected DiffusionForm form() {
            return BundledPlugins.create(ExtensionPoint.DIFFUSION_FORM, FORMS[index]);
        }

        @Override
        protected List<KnownValue> knownValues() {
            return referenceValues(index);
        }
    }

    @Nested
    class Constant extends Form {
        Constant() {
            super(0);
        }
    }

    @Nested
    class Sbdm extends Form {
        Sbdm() {
            super(1);
        }
    }

    @Nested
    class Sigma extends Form {
        Sigma() {
            super(2);
        }
    }

    @Nested
    class Linear extends Form {
        Linear() {
            super(3);
        }
    }

    @Nested
    class Decreasing extends Form {
        Decreasing() {
            super(4);
        }
    }

    @Nested
    class IncreasingDecreasing extends Form {
        IncreasingDecreasing() {
            super(5);
        }
    }

    @Test
    void acceptsBothSpellingsOfIncreasingDecreasing() {
        PluginFactory<DiffusionForm, Record> canonical = BundledPlugins.factory(ExtensionPoint.DIFFUSION_FORM,
                "increasing-decreasing");
        assertThat(canonical.aliases()).containsExactly("inccreasing-decreasing");
        assertThat(BundledPlugins.factory(ExtensionPoint.DIFFUSION_FORM, "inccreasing-decreasing").name())
                .isEqualTo("increasing-decreasing");
    }

    @Test
    void sbdmIsInfiniteAtTheLinearPathsNoiseEnd() {
        // the reference's quirk behind the non-finite SDE runs: drift_var(0) = (1/0) * 1 + 1 = inf
        PathCoefficients atZero = new PathCoefficients(0, 0, 1, 1, -1, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        assertThat(DiffusionForms.SBDM.diffusion(atZero, 1.0)).isInfinite();
    }
}
