package dev.sit.example;

import dev.sit.api.testkit.InterpolantContract;
import dev.sit.api.transport.Interpolant;

/** The plugin test kit's contract for interpolants: derivatives, boundaries, finiteness. */
class CosineInterpolantTest extends InterpolantContract {

    @Override
    protected Interpolant interpolant() {
        return new CosineInterpolant();
    }
}
