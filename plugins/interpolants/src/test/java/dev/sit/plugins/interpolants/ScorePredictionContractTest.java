package dev.sit.plugins.interpolants;

import dev.sit.api.testkit.PredictionTargetContract;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.PredictionTarget;
import java.util.List;

/** The bundled score target, found through ServiceLoader, passes the target contract on the kit's and the bundled paths. */
class ScorePredictionContractTest extends PredictionTargetContract {

    @Override
    protected PredictionTarget target() {
        return BundledPlugins.target("score");
    }

    @Override
    protected List<Interpolant> paths() {
        List<Interpolant> paths = BundledPlugins.contractPaths();
        paths.add(ExamplePlugin.cosine());
        return paths;
    }
}
