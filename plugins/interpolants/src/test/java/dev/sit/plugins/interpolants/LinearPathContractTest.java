package dev.sit.plugins.interpolants;

import dev.sit.api.testkit.InterpolantContract;
import dev.sit.api.transport.Interpolant;

/** The bundled Linear path, found through ServiceLoader, passes the interpolant contract. */
class LinearPathContractTest extends InterpolantContract {

    @Override
    protected Interpolant interpolant() {
        return BundledPlugins.path("Linear");
    }
}
