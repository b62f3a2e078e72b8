package dev.sit.plugins.samplers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.NoOptions;
import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import dev.sit.api.sampling.VectorField;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.LossWeight;
import dev.sit.api.transport.PredictionTarget;
import dev.sit.core.sampling.ReplayNoise;
import dev.sit.core.sampling.SdeSampler;
import dev.sit.core.sampling.SdeSamples;
import dev.sit.core.sampling.TimeGrid;
import dev.sit.core.transport.Interval;
import dev.sit.core.transport.Transport;
import dev.sit.plugins.interpolants.InterpolantsPlugin;
import dev.sit.plugins.interpolants.VpOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * golden/sde-injected-noise: SiT's {@code sample_sde} for Linear + velocity and VP + noise, with
 * Euler and Heun, the sigma and SBDM diffusions and the four last steps (32 runs), replaying the
 * recorded {@code torch.randn} draws (one per step). Every state of every run is compared,
 * including the documented non-finite runs (SBDM at t0 = 0; Heun's float32 {@code t + dt = 1}).
 */
class SdeInjectedNoiseGoldenTest {

    private static final GoldenCase GOLDEN = GoldenCase.load("sde-injected-noise");

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode run : GOLDEN.manifest().get("runs")) {
            out.add(Arguments.of(run.get("name").asText(), run));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void reproducesTheReferenceStates(String name, JsonNode run) {
        String transportName = name.substring(0, name.indexOf("__"));
        JsonNode config = GOLDEN.manifest().get("config");
        JsonNode transportConfig = config.get("transports").get(transportName);
        Transport transport = transport(transportConfig);
        VectorField model = transportName.equals("linear-velocity")
                ? AnalyticFields.SINE_FORCED_DECAY
                : (x, t) -> x.mul(0.2f); // vp-noise: eps(x, t) = 0.2 x

        String form = run.get("diffusion_form").asText();
        // the reference's last_step=None (JSON null) is the plugin "None"
        String last = run.get("last_step").isNull() ? "None" : run.get("last_step").asText();
        double h = run.get("last_step_size_used").asDouble();
        SdeSampler sampler = new SdeSampler(
                BundledPlugins.create(ExtensionPoint.SDE_SOLVER, run.get("sampling_method").asText()),
                BundledPlugins.create(ExtensionPoint.DIFFUSION_FORM, form), run.get("diffusion_norm").asDouble(),
                BundledPlugins.create(ExtensionPoint.LAST_STEP, last), h);

        Interval interval = sampler.interval(transport, form.equals("SBDM"));
        assertThat(interval.t0()).as("t0").isEqualTo(run.get("t0").asDouble());
        assertThat(interval.t1()).as("t1").isEqualTo(run.get("t1").asDouble());
        int numSteps = run.get("num_steps").asInt();
        double[] grid = TimeGrid.linspace(interval.t0(), interval.t1(), numSteps);
        List<Double> expectedGrid = new ArrayList<>();
        run.get("grid").forEach(g -> expectedGrid.add(g.asDouble()));
        assertThat(grid).as("grid").containsExactly(expectedGrid.stream().mapToDouble(Double::doubleValue).toArray());

        ReplayNoise noise = new ReplayNoise(GOLDEN.floats("noise.npy"), "sde-injected-noise/noise.npy");
        SdeSamples samples = sampler.sample(transport, model, GOLDEN.floats("x_init.npy"), interval, numSteps, noise, true);

        assertThat(samples.states()).hasSize(numSteps);
        assertThat(noise.used()).as("noise draws").isEqualTo(run.get("noise_draws").asInt());
        // honest counting: one model call per drift evaluation (+1 for a last step that moves);
        // the reference makes two per drift evaluation (and two for the Mean last step)
        boolean lastMoves = !last.equals("None");
        assertThat(samples.modelEvaluations()).isEqualTo(samples.driftEvaluations() + (lastMoves ? 1 : 0));
        int referenceLastStepCalls = switch (last) {
            case "Mean" -> 2;
            case "None" -> 0;
            default -> 1;
        };
        assertThat(2 * samples.driftEvaluations() + referenceLastStepCalls).isEqualTo(run.get("model_calls").asLong());

        INDArray states = Nd4j.stack(0, samples.states().toArray(INDArray[]::new));
        GOLDEN.assertMatches(states, run.get("file").asText(), name);
    }

    private static Transport transport(JsonNode config) {
        SitPlugin plugin = new InterpolantsPlugin();
        Interpolant path = create(plugin, ExtensionPoint.INTERPOLANT, config.get("path_type").asText());
        PredictionTarget target = create(plugin, ExtensionPoint.PREDICTION_TARGET, config.get("prediction").asText());
        LossWeight weight = create(plugin, ExtensionPoint.LOSS_WEIGHT, "none");
        return Transport.create(path, target, weight, config.get("train_eps").asDouble(),
                config.get("sample_eps").asDouble());
    }

    @SuppressWarnings("unchecked")
    private static <T> T create(SitPlugin plugin, ExtensionPoint<T> point, String name) {
        for (PluginFactory<?, ?> f : plugin.factories()) {
            if (f.extensionPoint() == point && f.name().equalsIgnoreCase(name)) {
                PluginFactory<T, Record> factory = (PluginFactory<T, Record>) f;
                Record options = factory.optionsType() == (Class<?>) VpOptions.class ? VpOptions.defaults() : new NoOptions();
                return factory.create(options);
            }
        }
        throw new IllegalArgumentException("no " + point + " named " + name);
    }
}
