package dev.sit.core.parallel;

import dev.sit.api.parallel.GradientCommunicator;
import dev.sit.api.testkit.GradientCommunicatorContract;

class InProcessCommunicatorTest extends GradientCommunicatorContract {

    @Override
    protected GradientCommunicator communicator() {
        return new InProcessCommunicator();
    }
}
