package dev.sit.plugins.interpolants;

import dev.sit.api.testkit.TimeSamplerContract;
import dev.sit.api.transport.TimeSampler;

/** The logit-normal time sampler with a uniform fraction passes the time sampler contract (draws against its CDF). */
class LogitNormalMixtureContractTest extends TimeSamplerContract {

    @Override
    protected TimeSampler sampler() {
        return new LogitNormalTime(new LogitNormalOptions(-0.8, 0.8, 0.2));
    }
}
