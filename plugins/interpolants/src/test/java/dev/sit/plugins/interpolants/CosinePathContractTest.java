package dev.sit.plugins.interpolants;

import dev.sit.api.testkit.InterpolantContract;
import dev.sit.api.transport.Interpolant;

/** The third-party style (the example plugin's cosine path, loaded from its jar) passes the interpolant contract too. */
class CosinePathContractTest extends InterpolantContract {

    @Override
    protected Interpolant interpolant() {
        return ExamplePlugin.cosine();
    }
}
