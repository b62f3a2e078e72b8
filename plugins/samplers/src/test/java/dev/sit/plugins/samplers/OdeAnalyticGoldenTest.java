package dev.sit.plugins.samplers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.sampling.AdaptiveStep;
import dev.sit.api.sampling.OdeSolution;
import dev.sit.api.sampling.OdeSolver;
import dev.sit.api.sampling.OdeSystem;
import dev.sit.core.sampling.OdeSampler;
import dev.sit.core.sampling.OdeSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * golden/ode-analytic: SiT's {@code sample_ode} (torchdiffeq odeint) on
 * {@code v(x, t) = -(1 + t) x + 0.5 sin(3 t)} with euler, midpoint, rk4, dopri5 (two tolerance
 * settings, accept/reject history first) and reverse euler. Every state of every trajectory is
 * compared under the manifest's tolerance.
 */
class OdeAnalyticGoldenTest {

    private static final GoldenCase GOLDEN = GoldenCase.load("ode-analytic");

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode run : GOLDEN.manifest().get("runs")) {
            out.add(Arguments.of(run.get("name").asText(), run));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void reproducesTheReferenceTrajectory(String name, JsonNode run) {
        JsonNode kwargs = run.get("sample_ode_kwargs");
        String method = kwargs.get("sampling_method").asText();
        OdeSolver solver = BundledPlugins.create(ExtensionPoint.ODE_SOLVER, method,
                kwargs.has("atol") ? new AdaptiveSolverOptions(kwargs.get("atol").asDouble(), kwargs.get("rtol").asDouble())
                        : null);
        double[] ts = GOLDEN.doubles(run.get("times_file").asText());
        assertThat(ts).hasSize(kwargs.get("num_steps").asInt());
        INDArray x = GOLDEN.floats("x_init.npy");

        OdeSystem system = (t, y) -> new INDArray[] {AnalyticFields.SINE_FORCED_DECAY.drift(y[0], t)};
        OdeSolution solution = solver.solve(system, new INDArray[] {x}, ts, true);

        if (run.has("dopri5")) {
            assertStepHistory(solution.steps(), run.get("dopri5"));
        } else {
            assertThat(solution.steps()).isEmpty();
            assertThat(solution.stats().acceptedSteps()).isEqualTo(ts.length - 1);
        }
        assertThat(solution.stats().functionEvaluations()).as("NFE").isEqualTo(run.get("rhs_evaluations").asLong());

        INDArray trajectory = Nd4j.stack(0, solution.states().stream().map(s -> s[0]).toArray(INDArray[]::new));
        GOLDEN.assertMatches(trajectory, run.get("file").asText(), name);
    }

    /**
     * The same runs through the core's {@link OdeSampler} on its own float32 linspace grid: it
     * counts NFE at the velocity field, the number a user sees; for dopri5 the reference's count.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void odeSamplerReportsTheReferenceNfe(String name, JsonNode run) {
        JsonNode kwargs = run.get("sample_ode_kwargs");
        OdeSolver solver = BundledPlugins.create(ExtensionPoint.ODE_SOLVER, kwargs.get("sampling_method").asText(),
                kwargs.has("atol") ? new AdaptiveSolverOptions(kwargs.get("atol").asDouble(), kwargs.get("rtol").asDouble())
                        : null);
        OdeSamples samples = new OdeSampler(solver).sample(AnalyticFields.SINE_FORCED_DECAY, GOLDEN.floats("x_init.npy"),
                run.get("t0").asDouble(), run.get("t1").asDouble(), kwargs.get("num_steps").asInt(), false);
        assertThat(samples.stats().functionEvaluations()).as("NFE").isEqualTo(run.get("model_calls").asLong());
        if (run.has("dopri5")) {
            assertThat(samples.stats().acceptedSteps()).isEqualTo(run.get("dopri5").get("accepted_steps").asLong());
            assertThat(samples.stats().rejectedSteps()).isEqualTo(run.get("dopri5").get("rejected_steps").asLong());
        }
        INDArray expected = GOLDEN.array(run.get("file").asText());
        long last = expected.size(0) - 1;
        GoldenCase.assertClose(samples.last(), expected.get(org.nd4j.linalg.indexing.NDArrayIndex.point(last)),
                GOLDEN.tolerance(run.get("file").asText()), name + " last state");
    }

    /**
     * The accept/reject sequence must match exactly; step starts, sizes and ratios closely. The
     * error estimate is a small difference of float32 stage sums, so its float32 rounding (about
     * 1e-4 relative, whatever the summation order) moves the ratios and the next step sizes by a
     * few 1e-5: compared at 1e-4 (times) and 1e-3 (ratios).
     */
    private static void assertStepHistory(List<AdaptiveStep> actual, JsonNode expected) {
        JsonNode steps = expected.get("steps");
        assertThat(actual.stream().map(AdaptiveStep::accepted).toList()).as("accept/reject sequence")
                .isEqualTo(stream(steps).map(s -> s.get("accepted").asBoolean()).toList());
        for (int i = 0; i < actual.size(); i++) {
            JsonNode e = steps.get(i);
            AdaptiveStep a = actual.get(i);
            assertThat(a.t()).as("start of step %d", i).isCloseTo(e.get("t").asDouble(), within(1e-4 * (1 + Math.abs(a.t()))));
            assertThat(a.dt()).as("size of step %d", i).isCloseTo(e.get("dt").asDouble(), within(1e-4 * Math.abs(a.dt())));
            // ratios of tiny first steps (~1e-6) measure float32 rounding, not truncation error:
            // there only their order of magnitude is meaningful
            double expectedRatio = e.get("error_ratio").asDouble();
            assertThat(a.errorRatio()).as("error ratio of step %d", i)
                    .isCloseTo(expectedRatio, within(expectedRatio < 1e-4 ? 0.2 * expectedRatio : 1e-3 * expectedRatio));
        }
        assertThat(actual.stream().filter(AdaptiveStep::accepted).count()).isEqualTo(expected.get("accepted_steps").asLong());
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }
}
