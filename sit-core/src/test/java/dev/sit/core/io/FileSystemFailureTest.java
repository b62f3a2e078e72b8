package dev.sit.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File-system errors in plain words with the setting to change. Tests run as root, who may write
 * anywhere, so "permission denied" and "no space" are the exceptions the JDK throws for them,
 * handed to the translation directly; "not a directory" comes from a real file in the way.
 */
class FileSystemFailureTest {

    @TempDir
    Path tmp;

    @Test
    void permissionDeniedNamesTheSetting() {
        FileSystemFailure f = FileSystemFailure.of(new AccessDeniedException("/data/ro/000-probe"), "results_dir")
                .orElseThrow();
        assertThat(f.message("results_dir")).isEqualTo("results_dir /data/ro/000-probe: permission denied: this user"
                + " may not read or write there; fix the permissions (chmod/chown) or point results_dir at a location"
                + " you can write");
        assertThat(f.userCanFix()).isTrue();
        FileSystemFailure readOnly = FileSystemFailure.of(new FileSystemException("/mnt/x", null,
                "Read-only file system"), "--out").orElseThrow();
        assertThat(readOnly.cause()).contains("read-only");
        assertThat(readOnly.fix()).contains("--out");
    }

    @Test
    void noSpaceLeftIsARuntimeFailure() {
        FileSystemFailure f = FileSystemFailure.of(new FileSystemException("/data/out.npy", null,
                "No space left on device"), "--out").orElseThrow();
        assertThat(f.cause()).isEqualTo("no space left on the device");
        assertThat(f.fix()).contains("--out");
        assertThat(f.userCanFix()).isFalse();
        assertThat(FileSystemFailure.of(new IOException("No space left on device"), null).orElseThrow().cause())
                .isEqualTo("no space left on the device");
    }

    @Test
    void aFileWhereAFolderIsNeededIsNotADirectory() throws IOException {
        Path file = Files.writeString(tmp.resolve("afile"), "x");
        IOException real = null;
        try {
            Files.createDirectories(file.resolve("sub"));
        } catch (IOException e) {
            real = e;
        }
        assertThat(real).isNotNull();
        FileSystemFailure f = FileSystemFailure.of(real, "--out").orElseThrow();
        assertThat(f.cause()).startsWith("not a directory: " + file);
        assertThat(f.fix()).contains("--out");
    }

    @Test
    void anExistingFileInTheWayIsFileExists() {
        FileSystemFailure f = FileSystemFailure.of(new FileAlreadyExistsException(tmp.resolve("x").toString()),
                "--out").orElseThrow();
        assertThat(f.cause()).startsWith("file exists");
        assertThat(f.fix()).contains("remove or rename it").contains("--out");
    }

    @Test
    void otherErrorsAreLeftAlone() {
        assertThat(FileSystemFailure.of(new IOException("stream closed"), "--out")).isEmpty();
    }

    @Test
    void outputLocationsAreCheckedBeforeAnyWork() throws IOException {
        Path file = Files.writeString(tmp.resolve("afile"), "x");
        assertThatThrownBy(() -> OutputLocation.check(file.resolve("x.safetensors"), "OUT.safetensors"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("OUT.safetensors").hasMessageContaining("not a directory: " + file);
        assertThatThrownBy(() -> OutputLocation.check(tmp, "--out"))
                .hasMessageContaining("is a folder, but a file is to be written there");
        assertThatThrownBy(() -> OutputLocation.check(tmp.resolve("no/such/x.npy"), "--out"))
                .hasMessageContaining("no such file or folder");
        OutputLocation.check(tmp.resolve("fine.npy"), "--out");
    }
}
