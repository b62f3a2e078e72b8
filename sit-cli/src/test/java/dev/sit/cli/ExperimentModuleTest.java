package dev.sit.cli;

import dev.sit.core.engine.ExperimentModule;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.core.config.ExperimentLoader;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.config.YamlDocument;
import dev.sit.core.model.SitConfig;
import dev.sit.core.transport.Transport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The composition root builds everything a run needs from one resolved experiment. */
class ExperimentModuleTest {

    private static Injector injector(String yaml) {
        ResolvedExperiment resolved = new ExperimentLoader(List.of(), null)
                .load(Path.of("exp.yaml"), YamlDocument.parse("exp.yaml", yaml), List.of());
        return Guice.createInjector(new ExperimentModule(resolved, dev.sit.core.engine.RunListener.NONE));
    }

    @Test
    void pluginFactoriesAreBoundByNamePerExtensionPoint() {
        Injector injector = injector("name: x\n");
        Map<String, PluginFactory<?, ?>> interpolants = injector.getInstance(ExperimentModule.factoriesKey(ExtensionPoint.INTERPOLANT));
        assertThat(interpolants).containsKeys("Linear", "GVP", "VP");
        Map<String, PluginFactory<?, ?>> solvers = injector.getInstance(ExperimentModule.factoriesKey(ExtensionPoint.ODE_SOLVER));
        assertThat(solvers).containsKeys("dopri5", "euler", "rk4");
    }

    @Test
    void theModelTransportAndLoggersFollowTheExperiment() {
        Injector injector = injector("""
                name: x
                model: {size: SiT-B/4, input_size: 16, in_channels: 3, num_classes: 7, learn_sigma: false}
                transport: {path: GVP, prediction: noise}
                loggers: [console]
                """);
        SitConfig config = injector.getInstance(SitConfig.class);
        assertThat(config.hiddenSize()).isEqualTo(768);
        assertThat(config.patchSize()).isEqualTo(4);
        assertThat(config.inputSize()).isEqualTo(16);
        assertThat(config.numClasses()).isEqualTo(7);
        Transport transport = injector.getInstance(Transport.class);
        // GVP with a noise target: both eps default to 1e-3 (spec section 2)
        assertThat(transport.trainEps()).isEqualTo(1e-3);
        assertThat(transport.path().alpha(1.0)).isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
        List<MetricsLogger> loggers = injector.getInstance(Key.get(new TypeLiteral<List<MetricsLogger>>() {
        }));
        assertThat(loggers).hasSize(1);
    }
}
