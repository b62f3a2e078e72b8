package dev.sit.plugins.loggers.wandb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/** Asserts that an API key (plain or in its Basic-auth form) is in no file of a folder and no message. */
final class SecretScan {

    private SecretScan() {
    }

    static void assertNoKey(Path dir, Collection<String> messages, String key) throws IOException {
        String basic = Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8));
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("files written under " + dir).isNotEmpty();
        for (Path f : files) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertThat(text).as(f.toString()).doesNotContain(key).doesNotContain(basic);
        }
        synchronized (messages) {
            for (String m : messages) {
                assertThat(m).doesNotContain(key).doesNotContain(basic);
            }
        }
    }
}
