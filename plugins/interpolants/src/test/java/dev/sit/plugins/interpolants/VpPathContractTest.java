package dev.sit.plugins.interpolants;

import dev.sit.api.testkit.InterpolantContract;
import dev.sit.api.transport.Interpolant;

/** The bundled VP path, found through ServiceLoader, passes the interpolant contract. */
class VpPathContractTest extends InterpolantContract {

    @Override
    protected Interpolant interpolant() {
        return BundledPlugins.path("VP");
    }

    /** VP only approaches pure noise: alpha(0) = exp(m(0)), about 0.0066 with the default schedule. */
    @Override
    protected double noiseEndTolerance() {
        return 0.01;
    }
}
