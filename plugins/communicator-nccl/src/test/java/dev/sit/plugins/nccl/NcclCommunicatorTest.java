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

/**
 * What of the {@code nccl} communicator runs without a GPU: the unique id's exchange (through a fake barrier and
 * through shared memory) and the refusal, with a message saying what to
 * do, on a process without ND4J's CUDA backend or with fewer GPUs than replicas (the flattening of the gradient list
 * is sit-api's FlatGradientsTest). The all-reduce itself needs GPUs (see the README's "Scaling out").
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
