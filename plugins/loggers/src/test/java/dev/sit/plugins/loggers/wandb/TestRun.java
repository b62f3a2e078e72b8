package dev.sit.plugins.loggers.wandb;

import dev.sit.api.logging.LoggedImage;
import dev.sit.api.logging.RunContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Shared pieces of the W&B tests: a key, an environment, a recording pause, a stepping clock, images. */
final class TestRun {

    /** A well-formed fake API key (40 characters); tests scan for it everywhere it must not be. */
    static final String KEY = "sitTEST0key0123456789abcdefghijklmnopqrstu";
    static final Map<String, String> ENV = Map.of("WANDB_API_KEY", KEY);

    final List<String> messages = Collections.synchronizedList(new ArrayList<>());
    final List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
    final Pause pause = d -> {
        pauses.add(d);
        Thread.sleep(Math.min(5, d.toMillis()));
    };
    /** Starts at 2025-01-01T00:00:00Z and moves half a second per reading. */
    final Clock clock = new Clock() {
        private long millis = 1_735_689_600_000L;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            millis += 500;
            return Instant.ofEpochMilli(millis);
        }
    };

    WandbLogger logger(WandbOptions options) {
        return logger(options, ENV);
    }

    WandbLogger logger(WandbOptions options, Map<String, String> env) {
        return new WandbLogger(options, env, pause, clock, messages::add);
    }

    static RunContext context(Path runDir) {
        return context(runDir, 0, false);
    }

    static RunContext context(Path runDir, long startStep, boolean resumed) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("lr", 0.001);
        config.put("model", Map.of("name", "SiT-S/2", "depth", 12));
        return new RunContext("000-test", runDir, config, startStep, resumed);
    }

    static byte[] png(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            image.setRGB(x, x % height, 0x3366ff);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static LoggedImage image(String key, int width, int height) {
        return new LoggedImage(key, png(width, height), width, height, null);
    }
}
