package dev.sit.plugins.interpolants;

import dev.sit.api.testkit.LossWeightContract;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.LossWeight;
import java.util.List;

/** The bundled none loss weight, found through ServiceLoader, passes the weight contract on the kit's and the bundled paths. */
class UniformWeightContractTest extends LossWeightContract {

    @Override
    protected LossWeight weight() {
        return BundledPlugins.weight("none");
    }

    @Override
    protected List<Interpolant> paths() {
        return BundledPlugins.contractPaths();
    }
}
