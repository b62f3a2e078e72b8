package dev.sit.plugins.interpolants;

import dev.sit.api.testkit.InterpolantContract;
import dev.sit.api.transport.Interpolant;

/** The bundled GVP path, found through ServiceLoader, passes the interpolant contract. */
class GvpPathContractTest extends InterpolantContract {

    @Override
    protected Interpolant interpolant() {
        return BundledPlugins.path("GVP");
    }
}
