package dev.sit.plugins.nccl;

import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import java.util.List;

/** Registers the {@code nccl} gradient communicator (this module is on the class path of the CUDA build only). */
public final class NcclPlugin implements SitPlugin {

    @Override
    public List<PluginFactory<?, ?>> factories() {
        return List.of(new NcclCommunicatorFactory());
    }
}
