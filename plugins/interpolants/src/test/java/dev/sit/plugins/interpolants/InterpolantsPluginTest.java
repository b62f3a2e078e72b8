package dev.sit.plugins.interpolants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sit.api.Doc;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.NoOptions;
import dev.sit.api.PluginFactory;
import dev.sit.api.Range;
import dev.sit.api.transport.EndpointRule;
import dev.sit.api.transport.Interpolant;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The plugin is found through ServiceLoader and lists exactly the bundled factories, with documented options. */
class InterpolantsPluginTest {

    @Test
    void serviceLoaderFindsEveryBundledFactory() {
        Map<ExtensionPoint<?>, List<String>> names = BundledPlugins.all().stream()
                .collect(Collectors.groupingBy(PluginFactory::extensionPoint,
                        Collectors.mapping(PluginFactory::name, Collectors.toList())));
        assertThat(names.get(ExtensionPoint.INTERPOLANT)).containsExactly("Linear", "GVP", "VP");
        assertThat(names.get(ExtensionPoint.PREDICTION_TARGET)).containsExactly("velocity", "score", "noise", "data");
        assertThat(names.get(ExtensionPoint.LOSS_WEIGHT)).containsExactly("none", "velocity", "likelihood", "sigma-floor");
        assertThat(names.get(ExtensionPoint.TIME_SAMPLER)).containsExactly("uniform", "logit-normal", "mode");
        assertThat(BundledPlugins.all()).allSatisfy(f -> assertThat(f.description()).isNotBlank());
    }

    @Test
    void onlyVpTheDataTargetTheSigmaFloorAndTwoTimeSamplersHaveOptionsAndTheyAreDocumentedAndRanged() {
        for (PluginFactory<?, ?> f : BundledPlugins.all()) {
            if (f.name().equals("VP")) {
                assertThat(f.optionsType()).isEqualTo(VpOptions.class);
            } else if (List.of("logit-normal", "mode", "data", "sigma-floor").contains(f.name())) {
                assertThat(f.optionsType()).isIn(LogitNormalOptions.class, ModeOptions.class, DataOptions.class,
                        SigmaFloorOptions.class);
                for (RecordComponent c : f.optionsType().getRecordComponents()) {
                    assertThat(c.getAnnotation(Doc.class)).as(c.getName()).isNotNull();
                    assertThat(c.getAnnotation(Range.class)).as(c.getName()).isNotNull();
                }
            } else {
                assertThat(f.optionsType()).as(f.name()).isEqualTo(NoOptions.class);
            }
        }
        RecordComponent[] components = VpOptions.class.getRecordComponents();
        assertThat(components).extracting(RecordComponent::getName).containsExactly("sigmaMin", "sigmaMax");
        for (RecordComponent c : components) {
            assertThat(c.getType()).isEqualTo(Double.class);
            assertThat(c.getAnnotation(Doc.class)).as(c.getName()).isNotNull();
            Range range = c.getAnnotation(Range.class);
            assertThat(range).as(c.getName()).isNotNull();
            assertThat(range.min()).isZero();
            assertThat(range.minExclusive()).isTrue();
        }
    }

    @Test
    void vpOptionsDefaultToTheReferenceAndChangeThePath() {
        VpOptions defaults = new VpOptions(null, null);
        assertThat(defaults.sigmaMin()).isEqualTo(0.1);
        assertThat(defaults.sigmaMax()).isEqualTo(20.0);
        Interpolant reference = new VpPath(defaults);
        Interpolant gentle = new VpPath(new VpOptions(null, 10.0));
        // alpha(0) = exp(-0.25 (sigma_max - sigma_min) - 0.5 sigma_min)
        assertThat(reference.alpha(0)).isCloseTo(Math.exp(-0.25 * 19.9 - 0.05), within(1e-15));
        assertThat(gentle.alpha(0)).isCloseTo(Math.exp(-0.25 * 9.9 - 0.05), within(1e-15));
        assertThat(reference.sdeDrift(0.0).variance()).isCloseTo(10.0, within(1e-12));
        assertThat(reference.endpointRule()).isEqualTo(EndpointRule.DATA_END);
        assertThat(new LinearPath().endpointRule()).isEqualTo(EndpointRule.BOTH_ENDS);
        assertThat(new GvpPath().endpointRule()).isEqualTo(EndpointRule.BOTH_ENDS);
    }

    @Test
    void vpOptionsRejectAnEmptySchedule() {
        assertThatThrownBy(() -> new VpOptions(5.0, 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sigma_max").hasMessageContaining("greater than sigma_min");
        assertThatThrownBy(() -> new VpOptions(-0.1, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sigma_min");
    }

    @Test
    void onlyTheNoneWeightIsUniformAndOnlyTheVelocityTargetIsVelocity() {
        assertThat(BundledPlugins.weight("none").isUniform()).isTrue();
        assertThat(BundledPlugins.weight("velocity").isUniform()).isFalse();
        assertThat(BundledPlugins.weight("likelihood").isUniform()).isFalse();
        assertThat(BundledPlugins.weight("sigma-floor").isUniform()).isFalse();
        assertThat(BundledPlugins.target("velocity").isVelocity()).isTrue();
        assertThat(BundledPlugins.target("score").isVelocity()).isFalse();
        assertThat(BundledPlugins.target("noise").isVelocity()).isFalse();
    }
}
