package dev.sit.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** .npy encoding against files numpy wrote (golden/numpy-npz). */
class NpyFileBytesTest {

    @TempDir
    Path tmp;

    static byte[] resource(String name) throws IOException {
        try (InputStream in = NpyFileBytesTest.class.getResourceAsStream("/golden/numpy-npz/" + name)) {
            return in.readAllBytes();
        }
    }

    static INDArray fixtureLatents() {
        // numpy's float32 arithmetic: arange(48, float32) / 7 - 2
        float[] v = new float[48];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) i / 7f - 2f;
        }
        return Nd4j.create(v, new long[] {3, 4, 2, 2}, 'c');
    }

    @Test
    void float32AndInt64FilesEqualNumpySaveBytes() {
        assertThat(NpyFile.encode(fixtureLatents())).isEqualTo(uncheckedResource("latents_f4.npy"));
        assertThat(NpyFile.encode(Nd4j.createFromArray(3L, 0L, 999L))).isEqualTo(uncheckedResource("labels_i8.npy"));
    }

    @Test
    void fOrderedViewsAreWrittenInCOrder() throws IOException {
        INDArray f = fixtureLatents().dup('f');
        assertThat(NpyFile.encode(f)).isEqualTo(resource("latents_f4.npy"));
        INDArray view = Nd4j.arange(12).castTo(DataType.FLOAT).reshape(3, 4).transpose();
        INDArray back = NpyFile.decode(NpyFile.encode(view), "view");
        assertThat(back).isEqualTo(view.dup('c'));
    }

    @Test
    void readsNumpyFilesBack() throws IOException {
        Path p = tmp.resolve("l.npy");
        Files.write(p, resource("latents_f4.npy"));
        INDArray a = NpyFile.decode(Files.readAllBytes(p), p.toString());
        assertThat(a.shape()).containsExactly(3, 4, 2, 2);
        assertThat(a.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(a.getFloat(2, 3, 1, 1)).isEqualTo(47f / 7f - 2f);
        INDArray labels = NpyFile.decode(resource("labels_i8.npy"), "labels");
        assertThat(labels.dataType()).isEqualTo(DataType.LONG);
        assertThat(labels.toLongVector()).containsExactly(3, 0, 999);
    }

    @Test
    void truncatedFilesAreRejectedWithTheirName() throws IOException {
        byte[] b = resource("latents_f4.npy");
        byte[] cut = java.util.Arrays.copyOf(b, b.length - 4);
        assertThatThrownBy(() -> NpyFile.decode(cut, "cut.npy")).isInstanceOf(IOException.class)
                .hasMessageContaining("cut.npy");
    }

    private static byte[] uncheckedResource(String name) {
        try {
            return resource(name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
