package dev.sit.core.parallel;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import java.util.List;

/** The bundled gradient communicator {@code in-process} (sit-spark adds {@code spark}). */
public final class ParallelPlugin implements SitPlugin {

    @Override
    public List<PluginFactory<?, ?>> factories() {
        return List.of(PluginFactory.of(ExtensionPoint.COMMUNICATOR, "in-process",
                "replicas as threads of this JVM sharing memory; gradients summed in rank order",
                InProcessCommunicator::new).withAliases("in_process", "threads"));
    }
}
