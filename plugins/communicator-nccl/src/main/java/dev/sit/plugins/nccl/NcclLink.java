package dev.sit.plugins.nccl;

import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreate;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;
import static org.bytedeco.cuda.global.nccl.ncclAllReduce;
import static org.bytedeco.cuda.global.nccl.ncclCommDestroy;
import static org.bytedeco.cuda.global.nccl.ncclCommInitRank;
import static org.bytedeco.cuda.global.nccl.ncclFloat;
import static org.bytedeco.cuda.global.nccl.ncclGetErrorString;
import static org.bytedeco.cuda.global.nccl.ncclSum;

import dev.sit.api.parallel.FlatGradients;
import dev.sit.api.parallel.ReplicaLink;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.nccl.ncclComm;
import org.bytedeco.cuda.nccl.ncclUniqueId;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One replica's NCCL communicator on its GPU. The NCCL communicator is made on the first all-reduce, from the
 * replica's own thread ({@code ncclCommInitRank} blocks until every rank has called it, and the trainer may join all
 * in-process replicas from one thread). Each all-reduce flattens the gradients into one float32 device vector, sums it
 * over the ranks in place with NCCL's ring all-reduce (every rank receives the same bits), divides by N and writes the
 * parts back. The device address comes from ND4J's {@code DataBuffer.platformAddress()} (the device pointer on the
 * CUDA backend) after {@code ensureLocation(DEVICE)}; {@code tagLocation(DEVICE)} tells ND4J that NCCL wrote there.
 */
final class NcclLink implements ReplicaLink {

    private final int rank;
    private final int replicas;
    private final int device;
    private final byte[] uniqueId;
    private ncclComm comm;
    private CUstream_st stream;

    NcclLink(int rank, int replicas, int device, byte[] uniqueId) {
        this.rank = rank;
        this.replicas = replicas;
        this.device = device;
        this.uniqueId = uniqueId.clone();
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int replicas() {
        return replicas;
    }

    @Override
    public void allReduceMean(INDArray[] arrays) {
        if (replicas == 1) {
            return;
        }
        connect();
        Nd4j.getExecutioner().commit(); // ND4J's queued kernels that write the gradients are done
        INDArray flat = FlatGradients.flatten(arrays);
        Nd4j.getAffinityManager().ensureLocation(flat, AffinityManager.Location.DEVICE);
        Nd4j.getExecutioner().commit();
        Pointer buffer = new DevicePointer(flat.data().platformAddress());
        cuda(cudaSetDevice(device), "cudaSetDevice(" + device + ")");
        nccl(ncclAllReduce(buffer, buffer, flat.length(), ncclFloat, ncclSum, comm, stream), "ncclAllReduce");
        cuda(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
        Nd4j.getAffinityManager().tagLocation(flat, AffinityManager.Location.DEVICE);
        flat.divi(replicas);
        FlatGradients.scatter(flat, arrays);
    }

    private void connect() {
        if (comm != null) {
            return;
        }
        Nd4j.getAffinityManager().unsafeSetDevice(device);
        cuda(cudaSetDevice(device), "cudaSetDevice(" + device + ")");
        ncclUniqueId id = new ncclUniqueId();
        for (int i = 0; i < uniqueId.length; i++) {
            id.internal(i, uniqueId[i]);
        }
        ncclComm c = new ncclComm();
        nccl(ncclCommInitRank(c, replicas, id, rank), "ncclCommInitRank(rank " + rank + " of " + replicas + ")");
        CUstream_st s = new CUstream_st();
        cuda(cudaStreamCreate(s), "cudaStreamCreate");
        comm = c;
        stream = s;
    }

    @Override
    public void close() {
        if (comm != null) {
            ncclCommDestroy(comm);
            cudaStreamDestroy(stream);
            comm = null;
        }
    }

    private void nccl(int result, String what) {
        if (result != 0) {
            throw new IllegalStateException("replica " + rank + " on GPU " + device + ": " + what + " failed: "
                    + ncclGetErrorString(result).getString() + " (a replica that died or left the group stops the others"
                    + " here; resume from the last checkpoint with --resume)");
        }
    }

    private void cuda(int result, String what) {
        if (result != 0) {
            throw new IllegalStateException("replica " + rank + " on GPU " + device + ": " + what + " failed: "
                    + cudaGetErrorString(result).getString());
        }
    }

    /** A device address as a JavaCPP pointer (NCCL reads and writes it; Java never dereferences it). */
    private static final class DevicePointer extends Pointer {
        DevicePointer(long address) {
            this.address = address;
        }
    }
}
