package dev.sit.spark;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import java.util.List;

/** The {@code spark} gradient communicator, present when sit-spark is on the class path. */
public final class SparkPlugin implements SitPlugin {

    @Override
    public List<PluginFactory<?, ?>> factories() {
        return List.of(PluginFactory.of(ExtensionPoint.COMMUNICATOR, "spark",
                "replicas as Spark barrier tasks; gradients through barrier allGather in 4 MiB chunks",
                SparkBarrierCommunicator::new));
    }
}
