package dev.sit.plugins.nccl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.NoOptions;
import dev.sit.api.PluginContext;
import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What of the {@code nccl} communicator runs without a GPU: the unique id's exchange (through a fake barrier and
 * through shared memory), the flattening order of the gradient list, and the refusal, with a message saying what to
 * do, on a process without ND4J's CUDA backend or with fewer GPUs than replicas. The all-reduce itself needs GPUs
 * (see the README's "Scaling out").
 */
class NcclCommunicatorTest {

    private static byte[] id(int seed) {
        byte[] b = new byte[UniqueIdMessage.BYTES];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }

    @Test
    void theUniqueIdTravelsAsTextAndABadMessageIsNamed() {
        byte[] id = id(3);
        assertThat(UniqueIdMessage.decode(UniqueIdMessage.encode(id))).isEqualTo(id);
        assertThatThrownBy(() -> UniqueIdMessage.encode(new byte[12])).hasMessageContaining("128 bytes, got 12");
        assertThatThrownBy(() -> UniqueIdMessage.decode("")).hasMessageContaining("0 bytes, not 128");
        assertThatThrownBy(() -> UniqueIdMessage.decode("not base64!")).hasMessageContaining("not base64");
    }

    /** A barrier's allGather among {@code n} threads, as Spark's BarrierTaskContext gives it: all messages to all. */
    private static final class FakeBarrier {
        private final String[] messages;
        private final CyclicBarrier written;
        private final CyclicBarrier read;

        FakeBarrier(int n) {
            messages = new String[n];
            written = new CyclicBarrier(n);
            read = new CyclicBarrier(n);
        }

        BarrierIdExchange.AllGather task(int partition) {
            return message -> {
                try {
                    messages[partition] = message;
                    written.await(10, TimeUnit.SECONDS);
                    String[] all = messages.clone();
                    read.await(10, TimeUnit.SECONDS);
                    return all;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
        }
    }

    @Test
    void barrierTasksAllGetRankZerosIdWhichOnlyRankZeroMakes() throws Exception {
        int n = 3;
        FakeBarrier barrier = new FakeBarrier(n);
        AtomicInteger made = new AtomicInteger();
        byte[] id = id(7);
        List<byte[]> got = runRanks(n, rank -> new BarrierIdExchange(barrier.task(rank)).agree(rank, n, () -> {
            made.incrementAndGet();
            assertThat(rank).isZero();
            return id.clone();
        }));
        assertThat(made).hasValue(1);
        got.forEach(g -> assertThat(g).isEqualTo(id));

        // a stage with another number of tasks than replicas is refused
        FakeBarrier two = new FakeBarrier(1);
        assertThatThrownBy(() -> new BarrierIdExchange(two.task(0)).agree(0, 2, () -> id))
                .hasMessageContaining("1 tasks but the group has 2 replicas");
    }

    @Test
    void threadsShareRankZerosIdEvenWhenRankZeroComesLast() throws Exception {
        int n = 4;
        SharedMemoryIdExchange exchange = new SharedMemoryIdExchange();
        AtomicInteger made = new AtomicInteger();
        byte[] id = id(11);
        List<byte[]> got = runRanks(n, rank -> {
            if (rank == 0) {
                Thread.sleep(200); // the others wait for it
            }
            return exchange.agree(rank, n, () -> {
                made.incrementAndGet();
                return id.clone();
            });
        });
        assertThat(made).hasValue(1);
        got.forEach(g -> assertThat(g).isEqualTo(id));

        SharedMemoryIdExchange failing = new SharedMemoryIdExchange();
        Supplier<byte[]> broken = () -> {
            throw new IllegalStateException("no NCCL here");
        };
        assertThatThrownBy(() -> failing.agree(0, 2, broken)).hasMessage("no NCCL here");
        assertThatThrownBy(() -> failing.agree(1, 2, broken)).hasMessageContaining("replica 0 could not make")
                .hasMessageContaining("no NCCL here");
    }

    @Test
    void gradientsFlattenInListOrderAndCOrderAndScatterBack() {
        INDArray a = Nd4j.arange(6).castTo(DataType.FLOAT).reshape('c', 2, 3);
        INDArray b = Nd4j.arange(6, 10).castTo(DataType.FLOAT).reshape('c', 2, 2).transpose(); // an 'f'-ordered view
        INDArray c = Nd4j.arange(10, 13).castTo(DataType.DOUBLE);
        INDArray flat = FlatGradients.flatten(new INDArray[] {a, b, c});
        assertThat(flat.dataType()).isEqualTo(DataType.FLOAT);
        // b is [[6, 8], [7, 9]] as an array: C order reads it row by row
        assertThat(flat.toFloatVector()).containsExactly(0, 1, 2, 3, 4, 5, 6, 8, 7, 9, 10, 11, 12);

        INDArray[] targets = {Nd4j.zeros(DataType.FLOAT, 2, 3), Nd4j.zeros(DataType.FLOAT, 2, 2),
            Nd4j.zeros(DataType.DOUBLE, 3)};
        FlatGradients.scatter(flat.mul(2), targets);
        assertThat(targets[0]).isEqualTo(a.mul(2));
        assertThat(targets[1]).isEqualTo(b.mul(2));
        assertThat(targets[2]).isEqualTo(c.mul(2));
        assertThatThrownBy(() -> FlatGradients.scatter(Nd4j.zeros(DataType.FLOAT, 14), targets))
                .hasMessageContaining("14 values but the arrays 13");
    }

    @Test
    void aProcessWithoutCudaOrWithTooFewGpusIsToldWhatToDo() {
        assertThat(NcclPreconditions.problems(true, 0, 1)).singleElement().asString()
                .contains("CUDA backend").contains("-Pcuda").contains("in-process or spark");
        assertThat(NcclPreconditions.problems(false, 2, 4)).singleElement().asString()
                .contains("sees 2 GPUs for 4 replicas").contains("lower train.replicas to 2");
        assertThat(NcclPreconditions.problems(false, 4, 4)).isEmpty();

        // this machine: the CPU backend; the factory's check (validation, exit 2) and a replica joining both say so
        PluginFactory<?, ?> factory = nccl();
        @SuppressWarnings("unchecked")
        List<String> problems = ((PluginFactory<Object, NoOptions>) factory).check(new NoOptions(), PluginContext.of(Map.of()));
        assertThat(problems).singleElement().asString().contains("CUDA backend");
        assertThatThrownBy(() -> new NcclCommunicator().join(0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CUDA backend").hasMessageNotContaining("Exception");
    }

    @Test
    void thePluginRegistersTheNcclCommunicator() {
        PluginFactory<?, ?> factory = nccl();
        assertThat(factory.extensionPoint()).isEqualTo(ExtensionPoint.COMMUNICATOR);
        assertThat(factory.description()).contains("NCCL").contains("-Pcuda");
    }

    private static PluginFactory<?, ?> nccl() {
        for (SitPlugin plugin : ServiceLoader.load(SitPlugin.class)) {
            for (PluginFactory<?, ?> f : plugin.factories()) {
                if (f.name().equals("nccl")) {
                    return f;
                }
            }
        }
        throw new AssertionError("no plugin registers nccl");
    }

    @FunctionalInterface
    private interface RankBody {
        byte[] run(int rank) throws Exception;
    }

    private static List<byte[]> runRanks(int n, RankBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<byte[]>> futures = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                futures.add(pool.submit(() -> body.run(rank)));
            }
            List<byte[]> out = new ArrayList<>();
            for (Future<byte[]> f : futures) {
                out.add(f.get(20, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
