package dev.sit.plugins.interpolants;

import dev.sit.api.testkit.InterpolantContract;
import dev.sit.api.transport.Interpolant;

/** The third-party style {@link CosinePath} passes the interpolant contract too. */
class CosinePathContractTest extends InterpolantContract {

    @Override
    protected Interpolant interpolant() {
        return new CosinePath();
    }
}
