package dev.sit.plugins.nccl;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.NoOptions;
import dev.sit.api.PluginContext;
import dev.sit.api.PluginFactory;
import dev.sit.api.parallel.GradientCommunicator;
import java.util.List;

/**
 * The factory of the {@code nccl} communicator. Its check, run when an experiment that chooses it is validated (exit
 * code 2, before any work), reports what this process lacks: ND4J's CUDA backend (the {@code -Pcuda} build) and a GPU.
 * Whether there are as many GPUs as in-process replicas is checked again when the replicas join.
 */
public final class NcclCommunicatorFactory implements PluginFactory<GradientCommunicator, NoOptions> {

    @Override
    public ExtensionPoint<GradientCommunicator> extensionPoint() {
        return ExtensionPoint.COMMUNICATOR;
    }

    @Override
    public String name() {
        return "nccl";
    }

    @Override
    public String description() {
        return "GPU replicas, one per device (threads of one JVM or Spark barrier tasks); NCCL ring all-reduce of"
                + " device buffers (needs the CUDA build, -Pcuda)";
    }

    @Override
    public Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    @Override
    public GradientCommunicator create(NoOptions options) {
        return new NcclCommunicator();
    }

    @Override
    public List<String> check(NoOptions options, PluginContext context) {
        return NcclPreconditions.ofThisProcess(1);
    }
}
