package dev.sit.plugins.nccl;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the {@code nccl} communicator needs of this process, checked before training starts (the factory's check, exit
 * code 2) and again when a replica joins: ND4J's CUDA backend (NCCL reduces device buffers) and at least as many GPUs
 * as the replicas this process runs (one replica per device).
 */
final class NcclPreconditions {

    private NcclPreconditions() {
    }

    /** The problems of this process, for {@code replicasHere} replicas in it (1 for a Spark task). */
    static List<String> ofThisProcess(int replicasHere) {
        boolean cpu = Nd4j.getEnvironment().isCPU();
        return problems(cpu, cpu ? 0 : Nd4j.getAffinityManager().getNumberOfDevices(), replicasHere);
    }

    /** The problems of a process with this backend and these devices; empty when NCCL can run. */
    static List<String> problems(boolean cpuBackend, int devices, int replicasHere) {
        List<String> problems = new ArrayList<>();
        if (cpuBackend) {
            problems.add("communicator nccl needs ND4J's CUDA backend, but this sit runs on the CPU backend: build with"
                    + " mvn -Pcuda package (one GPU per replica), or choose communicator in-process or spark");
        } else if (devices < replicasHere) {
            problems.add("communicator nccl runs one replica per GPU, but this process sees " + devices + " GPU"
                    + (devices == 1 ? "" : "s") + " for " + replicasHere + " replicas: lower train.replicas to " + devices
                    + ", or run the replicas as Spark tasks with one GPU each");
        }
        return problems;
    }
}
