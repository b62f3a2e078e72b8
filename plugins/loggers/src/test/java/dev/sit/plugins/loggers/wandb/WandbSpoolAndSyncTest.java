package dev.sit.plugins.loggers.wandb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing logged is lost: a server down for the whole run leaves everything in the spool, and
 * {@code sit wandb-sync} delivers it later with the same requests; offline and disabled modes
 * make no request at all (§10 item 11).
 */
class WandbSpoolAndSyncTest {

    @TempDir
    Path runDir;

    /** A local port with nothing listening: every connection is refused. */
    static String deadBaseUrl() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return "http://127.0.0.1:" + port;
    }

    @Test
    void serverDownForTheWholeRunLosesNothing() throws Exception {
        TestRun t = new TestRun();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        byte[] png = TestRun.png(16, 9);
        try {
            WandbLogger logger = t.logger(Options.fast(deadBaseUrl(),
                    "init_timeout_seconds: 0.2", "finish_timeout_seconds: 0.5", "transmit_interval_seconds: 0.01"));
            logger.start(TestRun.context(runDir));
            logger.logMessage("Training for 3 steps");
            logger.logScalars(0, Map.of("loss", 0.93, "steps_per_sec", 1.5));
            logger.logScalars(1, Map.of("loss", 0.85, "steps_per_sec", 1.6));
            logger.logScalars(2, Map.of("loss", 0.71, "steps_per_sec", 1.7));
            logger.logImage(2, new dev.sit.api.logging.LoggedImage("samples", png, 16, 9, null));
            long before = System.nanoTime();
            logger.finish(0);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertThat(t.messages).anyMatch(m -> m.contains("sit wandb-sync " + runDir));
        RunSpool.Session spooled = RunSpool.read(RunSpool.sessions(runDir.resolve("wandb-spool")).get(0));
        assertThat(spooled.delivered()).isFalse();
        assertThat(spooled.start()).isEmpty();
        assertThat(spooled.events()).hasSize(6);

        try (FakeWandbServer server = new FakeWandbServer()) {
            List<String> out = new java.util.ArrayList<>();
            WandbSync.Result result = new WandbSync(TestRun.ENV, t.pause, 3, out::add).sync(runDir, null, server.baseUrl(), false);
            assertThat(result.problems()).isEmpty();
            assertThat(result.deliveredNow()).isEqualTo(1);

            assertThat(server.sequence()).containsExactly("graphql:RunResumeStatus", "graphql:UpsertBucket",
                    "graphql:CreateRunFiles", "put", "file_stream", "file_stream");
            List<JsonNode> history = server.history();
            assertThat(history).extracting(r -> r.path("_step").asLong()).containsExactly(0L, 1L, 2L);
            assertThat(history).extracting(r -> r.path("loss").asDouble()).containsExactly(0.93, 0.85, 0.71);
            assertThat(history).extracting(r -> r.path("steps_per_sec").asDouble()).containsExactly(1.5, 1.6, 1.7);
            assertThat(server.files.get("output.log").get(0L)).endsWith(" Training for 3 steps");
            byte[] uploaded = server.route("put").get(0).body();
            assertThat(uploaded).isEqualTo(png);
            assertThat(history.get(2).path("samples").path("sha256").asText()).isEqualTo(PngFile.sha256(png));
            assertThat(server.route("put").get(0).headers().get("Authorization")).isNull();
            JsonNode last = server.requests().get(server.requests().size() - 1).json();
            assertThat(last.path("complete").asBoolean()).isTrue();
            assertThat(last.path("exitcode").asInt()).isZero();
            assertThat(server.route("file_stream").get(0).json().path("uploaded").get(0).asText())
                    .isEqualTo(history.get(2).path("samples").path("path").asText());

            // delivered once: a second sync sends nothing
            int count = server.requests().size();
            WandbSync.Result again = new WandbSync(TestRun.ENV, t.pause, 3, out::add).sync(runDir, null, server.baseUrl(), false);
            assertThat(again.alreadyDelivered()).isEqualTo(1);
            assertThat(server.requests()).hasSize(count);
        }
        t.messages.add(captured.toString(StandardCharsets.UTF_8));
        SecretScan.assertNoKey(runDir, t.messages, TestRun.KEY);
    }

    @Test
    void aSessionThatCreatedItsRunIsSyncedAtTheRecordedOffsets() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.resumeBucket = WandbResumeProtocolTest.EXISTING;
            WandbLogger logger = t.logger(Options.fast(server.baseUrl(), "finish_timeout_seconds: 0.5"));
            logger.start(TestRun.context(runDir, 3, true));
            server.server.shutdown(); // the server goes away after the run was resumed
            logger.logScalars(3, Map.of("loss", 0.4));
            logger.logScalars(4, Map.of("loss", 0.3));
            logger.finish(1);
        }
        RunSpool.Session spooled = RunSpool.read(RunSpool.sessions(runDir.resolve("wandb-spool")).get(0));
        assertThat(spooled.start()).isPresent();
        assertThat(spooled.start().get().historyBase()).isEqualTo(3);
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.upsertHistoryLineCount = 4; // the server's count has moved on; the recorded offset is what counts
            WandbSync.Result result = new WandbSync(TestRun.ENV, t.pause, 3, m -> { }).sync(runDir, null, server.baseUrl(), false);
            assertThat(result.problems()).isEmpty();
            assertThat(server.sequence()).containsExactly("graphql:UpsertBucket", "file_stream", "file_stream");
            assertThat(server.route("graphql:UpsertBucket").get(0).json().path("variables").path("id").asText())
                    .as("the storage id the first UpsertBucket returned").isEqualTo("storage-1");
            assertThat(server.files.get("wandb-history.jsonl").keySet()).containsExactly(3L, 4L);
            assertThat(server.history().get(0).path("_runtime").asDouble()).isGreaterThanOrEqualTo(31);
            assertThat(server.requests().get(2).json().path("exitcode").asInt()).isEqualTo(1);
        }
    }

    @Test
    void offlineModeSpoolsWithoutAnyRequestAndSyncsLater() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            WandbLogger logger = t.logger(Options.fast(server.baseUrl(), "mode: offline"), Map.of());
            logger.start(TestRun.context(runDir));
            logger.logScalars(0, Map.of("loss", 0.5));
            logger.logImage(0, TestRun.image("samples", 3, 3));
            logger.finish(0);
            assertThat(server.server.getRequestCount()).isZero();
            assertThat(Files.exists(runDir.resolve("wandb-spool/session-001/events.jsonl"))).isTrue();
            assertThat(t.messages).anyMatch(m -> m.contains("offline"));

            WandbSync.Result result = new WandbSync(TestRun.ENV, t.pause, 3, m -> { }).sync(runDir, null, server.baseUrl(), false);
            assertThat(result.problems()).isEmpty();
            assertThat(server.history()).hasSize(1);
            assertThat(server.history().get(0).has("samples")).isTrue();
        }
    }

    @Test
    void offlineModeFromTheEnvironment() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            WandbLogger logger = t.logger(Options.fast(server.baseUrl()), Map.of("WANDB_MODE", "offline"));
            logger.start(TestRun.context(runDir));
            logger.logScalars(0, Map.of("loss", 0.5));
            logger.finish(0);
            assertThat(server.server.getRequestCount()).isZero();
            assertThat(RunSpool.sessions(runDir.resolve("wandb-spool"))).hasSize(1);
        }
    }

    @Test
    void disabledModeDoesNothingAtAll() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            WandbLogger logger = t.logger(Options.fast(server.baseUrl()), Map.of("WANDB_MODE", "disabled"));
            logger.start(TestRun.context(runDir));
            logger.logScalars(0, Map.of("loss", 0.5));
            logger.logImage(0, TestRun.image("samples", 3, 3));
            logger.finish(0);
            assertThat(server.server.getRequestCount()).isZero();
            assertThat(Files.exists(runDir.resolve("wandb-spool"))).isFalse();
        }
    }

    @Test
    void syncWithoutSpoolSaysSo() throws Exception {
        WandbSync.Result result = new WandbSync(TestRun.ENV, d -> { }, 0, m -> { }).sync(runDir, null, null, false);
        assertThat(result.ok()).isFalse();
        assertThat(result.problems().get(0)).contains("no W&B spool");
    }

    @Test
    void aSlowServerNeverSlowsLoggingAndAnOverflowingQueueLosesNothing() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.upsertDelayMillis = 700;
            WandbLogger logger = t.logger(Options.fast(server.baseUrl(), "queue_size: 1", "init_timeout_seconds: 0.05"));
            logger.start(TestRun.context(runDir));
            long before = System.nanoTime();
            for (int step = 0; step < 5; step++) {
                logger.logScalars(step, Map.of("loss", 1.0 / (step + 1)));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(300));
            assertThat(t.messages).anyMatch(m -> m.contains("events behind"));
            logger.finish(0);
            assertThat(server.history().size()).as("live delivery stopped at the overflow").isLessThan(5);
            assertThat(RunSpool.read(RunSpool.sessions(runDir.resolve("wandb-spool")).get(0)).delivered()).isFalse();

            server.upsertDelayMillis = 0;
            WandbSync.Result result = new WandbSync(TestRun.ENV, t.pause, 3, m -> { }).sync(runDir, null, null, false);
            assertThat(result.problems()).isEmpty();
            assertThat(server.history()).extracting(r -> r.path("_step").asLong()).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(server.history()).extracting(r -> r.path("loss").asDouble()).containsExactly(1.0, 0.5, 1.0 / 3, 0.25, 0.2);
        }
    }
}
