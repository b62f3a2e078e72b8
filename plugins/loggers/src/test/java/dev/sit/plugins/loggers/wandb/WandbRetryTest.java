package dev.sit.plugins.loggers.wandb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Protocol document §6 and §10 item 9: what is retried, how long it waits, and that retries are idempotent. */
class WandbRetryTest {

    @TempDir
    Path runDir;

    private static WandbLogger startedLogger(TestRun t, FakeWandbServer server, Path runDir) throws Exception {
        WandbLogger logger = t.logger(Options.fast(server.baseUrl()));
        logger.start(TestRun.context(runDir));
        return logger;
    }

    @Test
    void fileStream503IsRetriedWithTheIdenticalBodyAndNoDuplicates() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.fail("file_stream", new MockResponse().setResponseCode(503));
            WandbLogger logger = startedLogger(t, server, runDir);
            logger.logScalars(0, Map.of("loss", 0.9));
            logger.logScalars(1, Map.of("loss", 0.8));
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
            logger.finish(0);
            List<FakeWandbServer.Seen> posts = server.route("file_stream");
            assertThat(posts).hasSize(3);
            assertThat(posts.get(1).body()).isEqualTo(posts.get(0).body());
            assertThat(server.history()).hasSize(2);
            assertThat(server.history()).extracting(r -> r.path("_step").asLong()).containsExactly(0L, 1L);
        }
    }

    @Test
    void fileStream500IsRetried() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.fail("file_stream", new MockResponse().setResponseCode(500), new MockResponse().setResponseCode(500));
            WandbLogger logger = startedLogger(t, server, runDir);
            logger.logScalars(0, Map.of("loss", 0.9));
            logger.finish(0);
            assertThat(server.route("file_stream")).hasSize(4); // 500, 500, data, complete
            assertThat(server.history()).hasSize(1);
            assertThat(t.pauses).hasSize(2);
        }
    }

    @Test
    void status429WaitsExactlyRetryAfter() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.fail("file_stream", new MockResponse().setResponseCode(429).setHeader("Retry-After", "1"));
            WandbLogger logger = startedLogger(t, server, runDir);
            logger.logScalars(0, Map.of("loss", 0.9));
            logger.finish(0);
            assertThat(t.pauses).containsExactly(Duration.ofSeconds(1));
            assertThat(server.route("file_stream")).hasSize(3);
            assertThat(server.history()).hasSize(1);
        }
    }

    @Test
    void networkErrorsAreRetriedWithGrowingBackoff() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.fail("graphql:UpsertBucket",
                    new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST),
                    new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST),
                    new MockResponse().setResponseCode(409));
            WandbLogger logger = startedLogger(t, server, runDir);
            logger.finish(0);
            // 409 is retried for UpsertBucket (the SDK's exception to the GraphQL rule)
            assertThat(server.route("graphql:UpsertBucket").size()).isGreaterThanOrEqualTo(2);
            assertThat(t.pauses).hasSize(3);
            // min 10 ms doubling with up to 25 % jitter, capped at 50 ms
            assertThat(t.pauses.get(0)).isBetween(Duration.ofMillis(10), Duration.ofMillis(13));
            assertThat(t.pauses.get(1)).isBetween(Duration.ofMillis(20), Duration.ofMillis(25));
            assertThat(t.pauses.get(2)).isBetween(Duration.ofMillis(40), Duration.ofMillis(50));
        }
    }

    @Test
    void upsert400IsNotRetriedAndStartFails() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.fail("graphql:UpsertBucket", new MockResponse().setResponseCode(400)
                    .setBody("{\"errors\":[{\"message\":\"invalid project name\"}]}"));
            WandbLogger logger = t.logger(Options.fast(server.baseUrl()));
            assertThatThrownBy(() -> logger.start(TestRun.context(runDir)))
                    .hasMessageContaining("HTTP 400").hasMessageContaining("invalid project name");
            assertThat(server.route("graphql:UpsertBucket")).hasSize(1);
        }
    }

    @Test
    void graphqlErrorsWithStatus200AreFinal() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.fail("graphql:UpsertBucket", new MockResponse().setBody("{\"errors\":[{\"message\":\"permission denied\"}],\"data\":null}"));
            WandbLogger logger = t.logger(Options.fast(server.baseUrl()));
            assertThatThrownBy(() -> logger.start(TestRun.context(runDir))).hasMessageContaining("permission denied");
            assertThat(server.route("graphql:UpsertBucket")).hasSize(1);
            assertThat(t.pauses).isEmpty();
        }
    }

    @Test
    void put500IsRetriedAndPut403IsNotAndNeverListedAsUploaded() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.fail("put", new MockResponse().setResponseCode(500), new MockResponse().setResponseCode(200),
                    new MockResponse().setResponseCode(403));
            WandbLogger logger = startedLogger(t, server, runDir);
            logger.logImage(1, TestRun.image("a", 4, 4));
            logger.logImage(2, TestRun.image("b", 5, 5));
            logger.finish(0);
            assertThat(server.route("put")).hasSize(3);
            List<String> uploaded = server.route("file_stream").stream()
                    .flatMap(r -> java.util.stream.StreamSupport.stream(r.json().path("uploaded").spliterator(), false))
                    .map(JsonNode::asText).toList();
            assertThat(uploaded).hasSize(1).allMatch(p -> p.startsWith("media/images/a_1_"));
            // the history still refers to both, as the SDK's does; the spool keeps the failed one for sync
            assertThat(server.history()).hasSize(2);
            assertThat(t.messages).anyMatch(m -> m.contains("HTTP 403"));
        }
    }

    @Test
    void fileStream400DropsTheBodyAndGoesOn() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.fail("file_stream", new MockResponse().setResponseCode(400));
            WandbLogger logger = startedLogger(t, server, runDir);
            logger.logScalars(0, Map.of("loss", 0.9));
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
            logger.logScalars(1, Map.of("loss", 0.8));
            logger.finish(0);
            List<FakeWandbServer.Seen> posts = server.route("file_stream");
            assertThat(posts).hasSize(3); // refused, next data, complete
            assertThat(server.files.get("wandb-history.jsonl").keySet()).containsExactly(1L);
            assertThat(t.pauses).isEmpty();
            assertThat(t.messages).anyMatch(m -> m.contains("dropped"));
        }
    }

    @Test
    void fileStream401StopsStreamingAndKeepsTheSpool() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.fail("file_stream", new MockResponse().setResponseCode(401));
            WandbLogger logger = startedLogger(t, server, runDir);
            logger.logScalars(0, Map.of("loss", 0.9));
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
            logger.logScalars(1, Map.of("loss", 0.8));
            logger.finish(0);
            assertThat(server.route("file_stream")).hasSize(1);
            RunSpool.Session session = RunSpool.read(RunSpool.sessions(runDir.resolve("wandb-spool")).get(0));
            assertThat(session.delivered()).isFalse();
            assertThat(session.events()).hasSize(3);
        }
    }
}
