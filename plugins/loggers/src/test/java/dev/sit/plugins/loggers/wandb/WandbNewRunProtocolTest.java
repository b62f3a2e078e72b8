package dev.sit.plugins.loggers.wandb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sit.plugins.loggers.ExtendedJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Protocol document §9.1: a new run, three steps of scalars, a PNG at step 2, finish. Asserts the
 * exact request sequence, the headers, every body, and the server state rebuilt from the posts
 * (§10 items 1 to 7).
 */
class WandbNewRunProtocolTest {

    @TempDir
    Path runDir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void newRunThreeStepsAndAnImageThenFinish(int exitCode) throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            WandbLogger logger = t.logger(Options.fast(server.baseUrl()));
            logger.start(TestRun.context(runDir));
            logger.logMessage("Training for 3 steps");
            logger.logScalars(0, Map.of("loss", 0.93));
            logger.logScalars(1, Map.of("loss", 0.85));
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
            logger.logScalars(2, Map.of("loss", 0.71));
            logger.logImage(2, TestRun.image("samples", 12, 8));
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
            logger.finish(exitCode);

            assertThat(server.sequence()).containsExactly(
                    "graphql:RunResumeStatus", "graphql:UpsertBucket",
                    "file_stream",
                    "graphql:CreateRunFiles", "put",
                    "file_stream",
                    "file_stream");
            List<FakeWandbServer.Seen> all = server.requests();
            String runId = RunId.fromExperimentName("000-test");
            assertThat(runId).isEqualTo("47684033"); // Python: str(int(sha256(b"000-test").hexdigest(), 16) % 10**8)

            // 1. auth and headers: credentials on GraphQL and file_stream, never on the PUT
            String basic = "Basic " + Base64.getEncoder().encodeToString(("api:" + TestRun.KEY).getBytes(StandardCharsets.UTF_8));
            for (FakeWandbServer.Seen r : all) {
                if (r.route().equals("put")) {
                    assertThat(r.headers().get("Authorization")).isNull();
                    assertThat(r.headers().get("X-Test-Sig")).isEqualTo("abc");
                    assertThat(r.headers().get("Content-Type")).isEqualTo("image/png");
                } else {
                    assertThat(r.headers().get("Authorization")).as(r.route()).isEqualTo(basic);
                    assertThat(r.headers().get("Content-Type")).as(r.route()).startsWith("application/json");
                    assertThat(r.method()).isEqualTo("POST");
                }
            }

            // 3. UpsertBucket variables
            JsonNode upsert = all.get(1).json();
            assertThat(upsert.path("operationName").asText()).isEqualTo("UpsertBucket");
            assertThat(upsert.path("query").asText()).contains("mutation UpsertBucket(").contains("historyLineCount");
            JsonNode vars = upsert.path("variables");
            assertThat(vars.path("name").asText()).isEqualTo(runId);
            assertThat(vars.path("project").asText()).isEqualTo("proj-requested");
            assertThat(vars.path("entity").asText()).isEqualTo("ent-requested");
            assertThat(vars.path("displayName").asText()).isEqualTo("000-test");
            assertThat(vars.has("id")).isTrue();
            assertThat(vars.path("id").isNull()).isTrue();
            assertThat(vars.path("state").isNull()).isTrue();
            assertThat(vars.path("tags").isNull()).isTrue();
            assertThat(vars.path("config").isTextual()).as("config is a JSON string").isTrue();
            JsonNode config = ExtendedJson.MAPPER.readTree(vars.path("config").asText());
            assertThat(config.path("lr").path("value").asDouble()).isEqualTo(0.001);
            assertThat(config.path("model").path("value").path("name").asText()).isEqualTo("SiT-S/2");
            assertThat(config.path("_wandb").path("value").path("t").size()).isPositive();
            config.fields().forEachRemaining(e -> assertThat(e.getValue().has("value")).as(e.getKey()).isTrue());

            // 2. ordering: file_stream URLs use the entity and project the server returned
            String streamPath = "/files/ent-server/proj-server/" + runId + "/file_stream";
            server.route("file_stream").forEach(r -> assertThat(r.path()).isEqualTo(streamPath));

            // the first post: steps 0 and 1 at offset 0, and the summary at offset 0
            JsonNode first = all.get(2).json();
            assertThat(first.path("files").path("wandb-history.jsonl").path("offset").asLong()).isZero();
            assertThat(first.path("files").path("wandb-history.jsonl").path("content")).hasSize(2);
            assertThat(first.path("files").path("wandb-summary.json").path("offset").asLong()).isZero();
            assertThat(first.has("uploaded")).isFalse();
            JsonNode console = first.path("files").path("output.log");
            assertThat(console.path("offset").asLong()).isZero();
            assertThat(console.path("content")).hasSize(1);
            // the legacy console line: "<UTC ISO-8601 with microseconds, no zone> <text>"
            assertThat(console.path("content").get(0).asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6} Training for 3 steps");
            assertThat(first.has("complete")).isFalse();

            // 6. the image: CreateRunFiles path = history path; PUT bytes match sha256, size, IHDR size
            JsonNode crf = all.get(3).json().path("variables");
            assertThat(crf.path("entity").asText()).isEqualTo("ent-server");
            assertThat(crf.path("project").asText()).isEqualTo("proj-server");
            assertThat(crf.path("run").asText()).isEqualTo(runId);
            String mediaPath = crf.path("files").get(0).asText();
            assertThat(mediaPath).matches("^media/images/samples_2_[0-9a-f]{20}\\.png$");
            byte[] put = all.get(4).body();
            assertThat(all.get(4).path()).isEqualTo("/upload/" + mediaPath);
            String sha = PngFile.sha256(put);
            assertThat(mediaPath).contains(sha.substring(0, 20));

            JsonNode second = all.get(5).json();
            assertThat(second.path("files").path("wandb-history.jsonl").path("offset").asLong()).isEqualTo(2);
            assertThat(second.path("uploaded")).extracting(JsonNode::asText).containsExactly(mediaPath);

            // 4. the rebuilt history: 3 lines, steps 0..2, runtime non-decreasing, timestamps Unix seconds
            List<JsonNode> history = server.history();
            assertThat(history).hasSize(3);
            double runtime = -1;
            for (int i = 0; i < 3; i++) {
                JsonNode row = history.get(i);
                assertThat(row.path("_step").isIntegralNumber()).isTrue();
                assertThat(row.path("_step").asLong()).isEqualTo(i);
                assertThat(row.path("_runtime").isDouble()).isTrue();
                assertThat(row.path("_runtime").asDouble()).isGreaterThanOrEqualTo(runtime);
                runtime = row.path("_runtime").asDouble();
                assertThat(row.path("_timestamp").asDouble()).isBetween(1.7e9, 2.0e9);
            }
            assertThat(history).extracting(r -> r.path("loss").asDouble()).containsExactly(0.93, 0.85, 0.71);
            JsonNode image = history.get(2).path("samples");
            assertThat(image.path("_type").asText()).isEqualTo("image-file");
            assertThat(image.path("format").asText()).isEqualTo("png");
            assertThat(image.path("path").asText()).isEqualTo(mediaPath);
            assertThat(image.path("sha256").asText()).isEqualTo(sha);
            assertThat(image.path("size").asInt()).isEqualTo(put.length);
            ByteBuffer ihdr = ByteBuffer.wrap(put);
            assertThat(image.path("width").asInt()).isEqualTo(ihdr.getInt(16)).isEqualTo(12);
            assertThat(image.path("height").asInt()).isEqualTo(ihdr.getInt(20)).isEqualTo(8);

            // 5. the summary: always offset 0, one line; the last one is complete
            List<JsonNode> summaries = new ArrayList<>();
            for (FakeWandbServer.Seen r : server.route("file_stream")) {
                JsonNode s = r.json().path("files").path("wandb-summary.json");
                if (!s.isMissingNode()) {
                    assertThat(s.path("offset").asLong()).isZero();
                    assertThat(s.path("content")).hasSize(1);
                    summaries.add(ExtendedJson.MAPPER.readTree(s.path("content").get(0).asText()));
                }
            }
            JsonNode summary = summaries.get(summaries.size() - 1);
            assertThat(summary.path("loss").asDouble()).isEqualTo(0.71);
            assertThat(summary.path("_step").asLong()).isEqualTo(2);
            assertThat(summary.path("_wandb").path("runtime").isIntegralNumber()).isTrue();
            assertThat(summary.path("samples").path("path").asText()).isEqualTo(mediaPath);

            // 7. finish: the last request of all, exactly complete + exit code
            JsonNode last = all.get(all.size() - 1).json();
            assertThat(all.get(all.size() - 1).route()).isEqualTo("file_stream");
            assertThat(last.path("complete").asBoolean()).isTrue();
            assertThat(last.path("exitcode").asInt()).isEqualTo(exitCode);
            assertThat(last.has("files")).isFalse();

            SecretScan.assertNoKey(runDir, t.messages, TestRun.KEY);
        }
    }
}
