package dev.sit.plugins.interpolants;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.PathCoefficients;
import dev.sit.core.transport.Interval;
import dev.sit.core.transport.IntervalRequest;
import dev.sit.core.transport.Transport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Golden case transport-coefficients: alpha, sigma, their derivatives, d_alpha/alpha and
 * compute_drift for Linear/GVP/VP at 9 times (float32 and float64 tables), the eps chosen by
 * create_transport and check_interval for 9 transports x 7 scenarios, and the eps quirks. (The
 * diffusion-form tables belong to the samplers' tests.)
 */
class TransportCoefficientsGoldenTest {

    static final String[] PATHS = {"Linear", "GVP", "VP"};

    static GoldenCase golden;

    @BeforeAll
    static void load() {
        golden = GoldenCase.load("transport-coefficients");
    }

    static Map<String, ToDoubleFunction<PathCoefficients>> quantities() {
        Map<String, ToDoubleFunction<PathCoefficients>> q = new LinkedHashMap<>();
        q.put("alpha_t", PathCoefficients::alpha);
        q.put("d_alpha_t", PathCoefficients::dAlpha);
        q.put("sigma_t", PathCoefficients::sigma);
        q.put("d_sigma_t", PathCoefficients::dSigma);
        q.put("d_alpha_alpha_ratio", PathCoefficients::dAlphaOverAlpha);
        q.put("drift_mean_coef", PathCoefficients::driftMeanCoefficient);
        q.put("drift_var", PathCoefficients::driftVar);
        return q;
    }

    /**
     * Suffix "" compares with the official float32 tables (our double coefficients at the float32
     * times, within the manifest's float32 tolerance); "_f64" with the official float64 tables (1e-9).
     */
    @ParameterizedTest(name = "tables{0}")
    @ValueSource(strings = {"", "_f64"})
    void pathCoefficientsMatchTheReferenceTables(String suffix) {
        double[] times = golden.array("t" + suffix + ".npy").data();
        assertThat(times).hasSize(9);
        int checked = 0;
        for (Map.Entry<String, ToDoubleFunction<PathCoefficients>> q : quantities().entrySet()) {
            String file = q.getKey() + suffix + ".npy";
            NpyArray expected = golden.array(file);
            Tolerance tol = golden.tolerance(file);
            for (int p = 0; p < PATHS.length; p++) {
                Interpolant path = BundledPlugins.path(PATHS[p]);
                Transport transport = Transport.create(path, BundledPlugins.target("velocity"),
                        BundledPlugins.weight("none"), null, null);
                double[] actual = new double[times.length];
                for (int i = 0; i < times.length; i++) {
                    actual[i] = q.getValue().applyAsDouble(transport.coefficients(times[i]));
                }
                tol.check(file + " " + PATHS[p], actual, expected.slice(p));
                checked += actual.length;
            }
        }
        assertThat(checked).isEqualTo(7 * 3 * 9);
    }

    static Map<String, IntervalRequest> scenarios() {
        Map<String, IntervalRequest> s = new LinkedHashMap<>();
        s.put("training", IntervalRequest.training());
        s.put("eval_ode", IntervalRequest.ode(false));
        s.put("eval_sde_SBDM_lss0.04", IntervalRequest.sde(true, 0.04));
        s.put("eval_sde_SBDM_lss0.0", IntervalRequest.sde(true, 0.0));
        s.put("eval_sde_sigma_lss0.04", IntervalRequest.sde(false, 0.04));
        s.put("eval_sde_sigma_lss0.0", IntervalRequest.sde(false, 0.0));
        s.put("eval_ode_reverse", IntervalRequest.ode(true));
        return s;
    }

    @Test
    void epsAndCheckIntervalMatchEveryTransportAndScenario() {
        JsonNode table = golden.manifest().get("create_transport_eps_and_check_interval");
        assertThat(table).hasSize(9);
        int checked = 0;
        for (JsonNode row : table) {
            String name = row.get("path").asText() + "/" + row.get("prediction").asText();
            Transport transport = Transport.create(BundledPlugins.path(row.get("path").asText()),
                    BundledPlugins.target(row.get("prediction").asText()), BundledPlugins.weight("none"), null, null);
            assertThat(transport.trainEps()).as(name + " train_eps").isEqualTo(row.get("train_eps").asDouble());
            assertThat(transport.sampleEps()).as(name + " sample_eps").isEqualTo(row.get("sample_eps").asDouble());
            JsonNode intervals = row.get("check_interval");
            assertThat(intervals).hasSize(scenarios().size());
            for (Map.Entry<String, IntervalRequest> s : scenarios().entrySet()) {
                JsonNode expected = intervals.get(s.getKey());
                Interval actual = transport.interval(s.getValue());
                // the reference's values are Python doubles: compare exactly (1 - (1 - 0.001) included)
                assertThat(actual).as(name + " " + s.getKey())
                        .isEqualTo(new Interval(expected.get(0).asDouble(), expected.get(1).asDouble()));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(63);
    }

    @Test
    void createTransportQuirksMatchTheReference() {
        JsonNode quirks = golden.manifest().get("create_transport_quirks");
        assertThat(quirks).hasSize(6);
        for (JsonNode row : quirks) {
            String name = row.toString();
            Transport transport = Transport.create(BundledPlugins.path(row.get("path").asText()),
                    BundledPlugins.target(row.get("prediction").asText()), BundledPlugins.weight("none"),
                    nullable(row.get("train_eps_arg")), nullable(row.get("sample_eps_arg")));
            assertThat(transport.trainEps()).as(name).isEqualTo(row.get("train_eps").asDouble());
            Double expectedSample = nullable(row.get("sample_eps"));
            if (expectedSample == null) {
                assertThat(transport.hasSampleEps()).as(name).isFalse();
            } else {
                assertThat(transport.sampleEps()).as(name).isEqualTo(expectedSample);
            }
        }
    }

    static Double nullable(JsonNode node) {
        return node == null || node.isNull() ? null : node.asDouble();
    }
}
