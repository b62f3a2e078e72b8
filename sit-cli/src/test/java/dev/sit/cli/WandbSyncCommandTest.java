package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sit.api.logging.RunContext;
import dev.sit.plugins.loggers.wandb.WandbLogger;
import dev.sit.plugins.loggers.wandb.WandbOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WandbSyncCommandTest {

    private static final String KEY = "sitTEST0key0123456789abcdefghijklmnopqrstu";
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    @TempDir
    Path runDir;

    @Test
    void sendsAnOfflineRunsSpoolAndSaysWhenThereIsNone() throws Exception {
        WandbOptions offline = new WandbOptions(null, "sit", null, null, "offline", null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
        WandbLogger logger = new WandbLogger(offline, Map.of(), d -> { }, Clock.systemUTC(), m -> { });
        logger.start(new RunContext("002-cli", runDir, Map.of("lr", 0.1), 0, false));
        logger.logScalars(0, Map.of("loss", 0.5));
        logger.logScalars(1, Map.of("loss", 0.25));
        logger.finish(0);

        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        TreeMap<Long, String> history = new TreeMap<>();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    try {
                        JsonNode body = JSON.readTree(request.getBody().readUtf8());
                        if (request.getPath().endsWith("/graphql")) {
                            String op = body.path("operationName").asText();
                            seen.add(op + " auth=" + (request.getHeader("Authorization") != null));
                            return new MockResponse().setBody(op.equals("RunResumeStatus")
                                    ? "{\"data\":{\"model\":{\"bucket\":null}}}"
                                    : "{\"data\":{\"upsertBucket\":{\"bucket\":{\"id\":\"s1\",\"name\":\"r\",\"displayName\":\"002-cli\","
                                    + "\"project\":{\"name\":\"sit\",\"entity\":{\"name\":\"me\"}},\"historyLineCount\":0},\"inserted\":true}}}");
                        }
                        seen.add("file_stream " + request.getPath());
                        JsonNode h = body.path("files").path("wandb-history.jsonl");
                        long offset = h.path("offset").asLong();
                        for (JsonNode line : h.path("content")) {
                            history.put(offset++, line.asText());
                        }
                        if (body.path("complete").asBoolean()) {
                            seen.add("complete " + body.path("exitcode").asInt());
                        }
                        return new MockResponse().setBody("{}");
                    } catch (IOException e) {
                        return new MockResponse().setResponseCode(500);
                    }
                }
            });
            server.start();
            int code = new CommandLine(new WandbSyncCommand(Map.of("WANDB_API_KEY", KEY), d -> { }))
                    .execute(runDir.toString(), "--base-url", server.url("/").toString());
            assertThat(code).isZero();
            assertThat(seen).startsWith("RunResumeStatus auth=true", "UpsertBucket auth=true").endsWith("complete 0");
            assertThat(seen).anyMatch(s -> s.startsWith("file_stream /files/me/sit/"));
            assertThat(history).hasSize(2);
            assertThat(JSON.readTree(history.get(1L)).path("loss").asDouble()).isEqualTo(0.25);
        }
        assertThat(new CommandLine(new WandbSyncCommand(Map.of(), d -> { })).execute(runDir.resolve("nope").toString())).isEqualTo(2);
        assertThat(new CommandLine(new WandbSyncCommand(Map.of(), d -> { })).execute(runDir.toString(), "--spool-dir", "none")).isEqualTo(1);
    }
}
