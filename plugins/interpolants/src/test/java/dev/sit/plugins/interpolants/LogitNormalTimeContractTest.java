package dev.sit.plugins.interpolants;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.testkit.TimeSamplerContract;
import dev.sit.api.transport.TimeSampler;

/** The bundled logit-normal time sampler (default options), found through ServiceLoader, passes the time sampler contract. */
class LogitNormalTimeContractTest extends TimeSamplerContract {

    @Override
    protected TimeSampler sampler() {
        return BundledPlugins.create(ExtensionPoint.TIME_SAMPLER, "logit-normal");
    }
}
