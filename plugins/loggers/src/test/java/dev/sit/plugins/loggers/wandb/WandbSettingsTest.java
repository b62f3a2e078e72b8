package dev.sit.plugins.loggers.wandb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings from YAML and the environment, and the fail-fast validation (protocol document §2.1). */
class WandbSettingsTest {

    @TempDir
    Path dir;

    @Test
    void runIdIsTheReferenceHashOfTheExperimentName() {
        // values from Python: str(int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16) % 10**8)
        assertThat(RunId.fromExperimentName("000-SiT-XL-2-Linear-velocity-None")).isEqualTo("66244500");
        assertThat(RunId.fromExperimentName("000-contract")).isEqualTo("98449464");
        WandbSettings s = WandbSettings.resolve(Options.yaml(""), TestRun.ENV);
        assertThat(s.runIdFor("000-test")).isEqualTo("47684033");
        assertThat(WandbSettings.resolve(Options.yaml(""), Map.of("WANDB_API_KEY", TestRun.KEY, "WANDB_RUN_ID", "abc123xy"))
                .runIdFor("000-test")).isEqualTo("abc123xy");
        assertThat(WandbSettings.resolve(Options.yaml("run_id: fromyaml"), Map.of("WANDB_API_KEY", TestRun.KEY, "WANDB_RUN_ID", "abc"))
                .runIdFor("000-test")).isEqualTo("fromyaml");
    }

    @Test
    void environmentFillsWhatTheYamlLeavesOutIncludingTheReferenceNames() {
        WandbSettings ref = WandbSettings.resolve(Options.yaml(""),
                Map.of("WANDB_KEY", TestRun.KEY, "ENTITY", "team-a", "PROJECT", "sit-ref"));
        assertThat(ref.entity()).isEqualTo("team-a");
        assertThat(ref.project()).isEqualTo("sit-ref");
        assertThat(ref.apiKeySource()).isEqualTo("WANDB_KEY");
        assertThat(ref.baseUrl()).isEqualTo("https://api.wandb.ai");
        assertThat(ref.mode()).isEqualTo(WandbMode.ONLINE);
        assertThat(ref.resume()).isEqualTo(ResumeMode.ALLOW);

        WandbSettings wandb = WandbSettings.resolve(Options.yaml(""), Map.of("WANDB_API_KEY", TestRun.KEY, "WANDB_KEY", "other",
                "WANDB_ENTITY", "e", "ENTITY", "x", "WANDB_PROJECT", "p", "PROJECT", "y", "WANDB_BASE_URL", "http://host:8080/",
                "WANDB_MODE", "dryrun", "WANDB_RESUME", "never", "WANDB_TAGS", "a, b,,c"));
        assertThat(wandb.apiKeySource()).isEqualTo("WANDB_API_KEY");
        assertThat(wandb.entity()).isEqualTo("e");
        assertThat(wandb.project()).isEqualTo("p");
        assertThat(wandb.baseUrl()).isEqualTo("http://host:8080");
        assertThat(wandb.mode()).isEqualTo(WandbMode.OFFLINE);
        assertThat(wandb.resume()).isEqualTo(ResumeMode.NEVER);
        assertThat(wandb.tags()).containsExactly("a", "b", "c");

        WandbSettings yaml = WandbSettings.resolve(Options.yaml("entity: y-e\nproject: y-p\nmode: online\napi_key_env: MY_KEY"),
                Map.of("MY_KEY", TestRun.KEY, "WANDB_API_KEY", "ignored", "WANDB_ENTITY", "e", "WANDB_MODE", "disabled"));
        assertThat(yaml.entity()).isEqualTo("y-e");
        assertThat(yaml.project()).isEqualTo("y-p");
        assertThat(yaml.mode()).isEqualTo(WandbMode.ONLINE);
        assertThat(yaml.apiKeySource()).isEqualTo("MY_KEY");
    }

    @Test
    void missingKeyInOnlineModeFailsFastWithAClearMessage() {
        List<String> problems = WandbSettings.validate(Options.yaml("project: sit"), Map.of());
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("no W&B API key").contains("WANDB_API_KEY").contains("mode: offline");
        assertThat(WandbSettings.validate(Options.yaml("mode: offline"), Map.of())).isEmpty();
        dev.sit.api.CheckedOptions checked = Options.yaml("project: sit");
        assertThat(checked.problems(Map.of())).isEqualTo(problems);
        assertThat(WandbSettings.validate(Options.yaml("mode: disabled"), Map.of())).isEmpty();
        assertThat(WandbSettings.validate(Options.yaml("api_key_env: MY_KEY"), TestRun.ENV).get(0)).contains("set MY_KEY");

        WandbLogger logger = new WandbLogger(Options.yaml("project: sit"), Map.of(), d -> { }, java.time.Clock.systemUTC(), m -> { });
        assertThatThrownBy(() -> logger.start(TestRun.context(dir))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problems.get(0));
        assertThat(dir.toFile().list()).as("nothing written before failing").isEmpty();
    }

    @Test
    void invalidProjectRunIdModeResumeAndUrlAreAllReported() {
        List<String> problems = WandbSettings.validate(Options.yaml(
                "project: a/b\nrun_id: 'x:y'\nmode: sometimes\nresume: maybe\nbase_url: https://wandb.ai"), TestRun.ENV);
        assertThat(problems).hasSize(5);
        assertThat(problems).anyMatch(p -> p.contains("project 'a/b' must not contain"));
        assertThat(problems).anyMatch(p -> p.contains("run id 'x:y'"));
        assertThat(problems).anyMatch(p -> p.contains("mode 'sometimes'"));
        assertThat(problems).anyMatch(p -> p.contains("resume 'maybe'"));
        assertThat(problems).anyMatch(p -> p.contains("web app, not its API"));
        assertThat(WandbSettings.validate(Options.yaml("project: '" + "p".repeat(129) + "'"), TestRun.ENV).get(0)).contains("at most 128");
        assertThat(WandbSettings.validate(Options.yaml("base_url: http://api.wandb.ai"), TestRun.ENV).get(0)).contains("https");
        assertThat(WandbSettings.validate(Options.yaml("base_url: not a url"), TestRun.ENV).get(0)).contains("not an http");
        assertThat(WandbSettings.validate(Options.yaml(""), Map.of("WANDB_API_KEY", TestRun.KEY, "WANDB__EXTRA_HTTP_HEADERS", "[1]")))
                .anyMatch(p -> p.contains("WANDB__EXTRA_HTTP_HEADERS"));
    }

    @Test
    void aMalformedKeyIsReportedWithoutShowingIt() {
        String bad = "short-secret-value";
        List<String> problems = WandbSettings.validate(Options.yaml(""), Map.of("WANDB_API_KEY", bad));
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("does not look like a key").contains("WANDB_API_KEY").doesNotContain(bad);
        assertThat(WandbSettings.validate(Options.yaml(""), Map.of("WANDB_API_KEY", " " + TestRun.KEY)).get(0)).contains("whitespace");
        assertThat(WandbSettings.validate(Options.yaml(""), Map.of("WANDB_API_KEY", "local-" + TestRun.KEY))).isEmpty();
    }

    @Test
    void theKeyCanComeFromNetrcForTheServersHost() throws Exception {
        Path netrc = dir.resolve("netrc");
        Files.writeString(netrc, "machine other.host login user password nope\nmachine api.wandb.ai\n  login user\n  password " + TestRun.KEY + "\n");
        WandbSettings s = WandbSettings.resolve(Options.yaml(""), Map.of("NETRC", netrc.toString()));
        assertThat(s.apiKeySource()).isEqualTo("netrc");
        assertThat(s.apiKey()).isEqualTo(TestRun.KEY);
    }

    @Test
    void toStringNeverShowsTheKey() {
        WandbSettings s = WandbSettings.resolve(Options.yaml(""), TestRun.ENV);
        assertThat(s.toString()).doesNotContain(TestRun.KEY).contains("redacted");
        WandbLogger logger = new WandbLogger(Options.yaml(""), TestRun.ENV, d -> { }, java.time.Clock.systemUTC(), m -> { });
        assertThat(logger.toString()).doesNotContain(TestRun.KEY);
    }

    @Test
    void yamlOptionsBindFromSnakeCaseWithDefaults() {
        WandbOptions o = Options.yaml("api_key_env: K\ntransmit_interval_seconds: 0.5\ntags: [a, b]\njob_type: train");
        assertThat(o.apiKeyEnv()).isEqualTo("K");
        assertThat(o.transmitIntervalSeconds()).isEqualTo(0.5);
        assertThat(o.tags()).containsExactly("a", "b");
        assertThat(o.jobType()).isEqualTo("train");
        assertThat(o.heartbeatSeconds()).isEqualTo(30.0);
        assertThat(o.queueSize()).isEqualTo(10_000);
        assertThat(o.spoolDir()).isEqualTo("wandb-spool");
        assertThatThrownBy(() -> Options.yaml("api_key: abc")).hasMessageContaining("unknown key 'api_key'");
    }
}
