package dev.sit.plugins.samplers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.sampling.AdaptiveStep;
import dev.sit.api.sampling.OdeSolver;
import dev.sit.core.sampling.HutchinsonProbe;
import dev.sit.core.sampling.Likelihood;
import dev.sit.core.sampling.LikelihoodEstimator;
import dev.sit.core.sampling.TimeGrid;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * golden/likelihood-analytic: SiT's {@code sample_ode_likelihood} with dopri5 and euler (50 grid
 * points) on {@code v(x, t) = -(1 + t) x}, whose Jacobian is diagonal so the Hutchinson estimate
 * is exact for any Rademacher probe (the reference's random probes need not be replayed).
 */
class LikelihoodAnalyticGoldenTest {

    private static final GoldenCase GOLDEN = GoldenCase.load("likelihood-analytic");

    @ParameterizedTest
    @ValueSource(strings = {"dopri5", "euler"})
    void reproducesLogLikelihoodAndLatent(String method) {
        JsonNode run = run(method);
        JsonNode kwargs = run.get("kwargs");
        OdeSolver solver = BundledPlugins.create(ExtensionPoint.ODE_SOLVER, method,
                kwargs.has("atol") ? new AdaptiveSolverOptions(kwargs.get("atol").asDouble(), kwargs.get("rtol").asDouble())
                        : null);
        double[] grid = GOLDEN.doubles("ts_n50.npy");
        assertThat(TimeGrid.linspace(0, 1, kwargs.get("num_steps").asInt())).as("torch's float32 linspace(0, 1, 50)")
                .containsExactly(grid);

        Likelihood result = new LikelihoodEstimator(solver).estimate(AnalyticFields.LINEAR_DECAY,
                AnalyticFields::linearDecayVjp, GOLDEN.floats("x.npy"), HutchinsonProbe.rademacher(7007), grid, 0);

        if (run.has("dopri5")) {
            JsonNode steps = run.get("dopri5").get("steps");
            List<Boolean> expected = new ArrayList<>();
            steps.forEach(s -> expected.add(s.get("accepted").asBoolean()));
            assertThat(result.steps().stream().map(AdaptiveStep::accepted).toList()).as("accept/reject sequence")
                    .isEqualTo(expected);
        }
        assertThat(result.stats().functionEvaluations()).as("evaluations of the augmented system")
                .isEqualTo(run.get("rhs_evaluations").asLong());
        // the reference calls the model twice per evaluation (vjp and drift); so does this
        assertThat(result.velocityEvaluations() + result.vjpEvaluations()).isEqualTo(run.get("model_calls").asLong());

        GOLDEN.assertMatches(result.latent(), "latent_" + method + ".npy", method + " latent");
        GOLDEN.assertMatches(result.logLikelihood(), "logp_" + method + ".npy", method + " logp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dopri5"})
    void adaptiveResultIsCloseToTheClosedForm(String method) {
        // logp = -D/2 ln(2 pi) - e^3 |x|^2 / 2 + 1.5 D; dopri5 at rtol 1e-3 is within 0.3 nats of it
        // (the reference's own error, manifest abs_err_logp_vs_exact)
        Likelihood result = new LikelihoodEstimator(AdaptiveRungeKuttaSolver.dopri5(1e-6, 1e-3)).estimate(
                AnalyticFields.LINEAR_DECAY, AnalyticFields::linearDecayVjp, GOLDEN.floats("x.npy"),
                HutchinsonProbe.rademacher(1), 0, 1, 50, 0);
        double[] exact = GOLDEN.doubles("logp_exact_f64.npy");
        double[] actual = result.logLikelihood().toDoubleVector();
        for (int i = 0; i < exact.length; i++) {
            assertThat(Math.abs(actual[i] - exact[i])).as("sample %d", i).isLessThan(0.3);
        }
        double[] bits = result.bitsPerDim().toDoubleVector();
        for (int i = 0; i < exact.length; i++) {
            assertThat(bits[i]).isCloseTo(-actual[i] / (32 * Math.log(2)), org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    private static JsonNode run(String name) {
        for (JsonNode run : GOLDEN.manifest().get("runs")) {
            if (run.get("name").asText().equals(name)) {
                return run;
            }
        }
        throw new IllegalArgumentException("no run " + name);
    }
}
