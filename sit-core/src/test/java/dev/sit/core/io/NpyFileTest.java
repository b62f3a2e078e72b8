package dev.sit.core.io;

import static dev.sit.core.io.IoTestFiles.golden;
import static dev.sit.core.io.IoTestFiles.longs;
import static dev.sit.core.io.IoTestFiles.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class NpyFileTest {

    private static final Map<String, DataType> NUMPY_TYPES = Map.of(
            "float32", DataType.FLOAT, "float64", DataType.DOUBLE, "int64", DataType.LONG);

    @TempDir
    Path tmp;

    /** Every .npy of the copied golden cases: type and shape as the manifest says; written back byte-identical. */
    @ParameterizedTest
    @ValueSource(strings = {"model-tiny", "train-checkpoint"})
    void readsEveryGoldenNpyAndWritesTheSameBytesAsNumpy(String goldenCase) throws IOException {
        int checked = 0;
        for (JsonNode f : manifest(goldenCase).get("files")) {
            String name = f.get("file").asText();
            if (!name.endsWith(".npy")) {
                continue;
            }
            Path file = golden(goldenCase + "/" + name);
            INDArray a = NpyFile.read(file);
            assertThat(a.dataType()).as(name).isEqualTo(NUMPY_TYPES.get(f.get("dtype").asText()));
            assertThat(a.shape()).as(name).containsExactly(longs(f.get("shape")));
            Path copy = tmp.resolve(goldenCase + "-" + name.replace('/', '_'));
            NpyFile.write(copy, a);
            assertThat(Files.readAllBytes(copy)).as(name).isEqualTo(Files.readAllBytes(file));
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(5);
    }

    @Test
    void goldenValuesAreTheLittleEndianBytes() throws IOException {
        Path file = golden("model-tiny/t.npy");
        byte[] raw = Files.readAllBytes(file);
        INDArray t = NpyFile.read(file);
        ByteBuffer data = ByteBuffer.wrap(raw, raw.length - 16, 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) {
            assertThat(t.getFloat(i)).isEqualTo(data.getFloat());
        }
        INDArray y = NpyFile.read(golden("model-tiny/y.npy"));
        assertThat(y.getLong(2)).isEqualTo(10L); // the null class, as the manifest says
    }

    @Test
    void roundTripsEveryTypeAndLayout() throws IOException {
        Nd4j.getRandom().setSeed(7);
        INDArray f4 = Nd4j.rand(DataType.FLOAT, 3, 5, 7).subi(0.5);
        INDArray f8 = Nd4j.rand(DataType.DOUBLE, 4, 6).subi(0.5);
        INDArray i8 = Nd4j.createFromArray(new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 1L << 40});
        INDArray i4 = Nd4j.createFromArray(new int[][] {{Integer.MIN_VALUE, -7}, {0, Integer.MAX_VALUE}});
        INDArray view = f4.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all(), NDArrayIndex.interval(2, 6))
                .permute(2, 0, 1);
        INDArray fOrder = Nd4j.create(new double[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'f');
        INDArray scalar = Nd4j.scalar(3.5f);
        INDArray empty = Nd4j.create(DataType.FLOAT, 0, 4);
        INDArray[] arrays = {f4, f8, i8, i4, view, fOrder, scalar, empty, f4.reshape(105)};
        for (int k = 0; k < arrays.length; k++) {
            Path p = tmp.resolve("a" + k + ".npy");
            NpyFile.write(p, arrays[k]);
            INDArray back = NpyFile.read(p);
            assertThat(back.dataType()).isEqualTo(arrays[k].dataType());
            assertThat(back.shape()).containsExactly(arrays[k].shape());
            assertThat(back.ordering()).isEqualTo('c');
            assertThat(back).as("array " + k).isEqualTo(arrays[k]);
        }
        // the f-ordered array is written in C order: element (0, 1) = 3 comes second
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(tmp.resolve("a5.npy")), 128, 48)
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(data.getDouble()).isEqualTo(1.0);
        assertThat(data.getDouble()).isEqualTo(3.0);
        assertThat(new String(Files.readAllBytes(tmp.resolve("a5.npy")), 0, 128, StandardCharsets.ISO_8859_1))
                .contains("'fortran_order': False, 'shape': (2, 3), }");
        assertThat(new String(Files.readAllBytes(tmp.resolve("a8.npy")), 0, 128, StandardCharsets.ISO_8859_1))
                .contains("'shape': (105,), }");
    }

    @Test
    void readsFortranOrder() throws IOException {
        // numpy.asfortranarray([[1, 2, 3], [4, 5, 6]], dtype='<i8') stores the columns in turn
        Path p = tmp.resolve("fortran.npy");
        Files.write(p, npy("{'descr': '<i8', 'fortran_order': True, 'shape': (2, 3), }", longBytes(1, 4, 2, 5, 3, 6)));
        INDArray a = NpyFile.read(p);
        assertThat(a).isEqualTo(Nd4j.createFromArray(new long[][] {{1, 2, 3}, {4, 5, 6}}));
        assertThat(a.ordering()).isEqualTo('c');
    }

    @Test
    void clearErrorsForUnsupportedOrBrokenFiles() throws IOException {
        Path big = tmp.resolve("big.npy");
        Files.write(big, npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", new byte[8]));
        assertThatThrownBy(() -> NpyFile.read(big)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("'>f4'").hasMessageContaining(big.toString());
        Path obj = tmp.resolve("obj.npy");
        Files.write(obj, npy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", new byte[16]));
        assertThatThrownBy(() -> NpyFile.read(obj)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("'|O'");
        Path cut = tmp.resolve("cut.npy");
        Files.write(cut, npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 1000), }", new byte[40]));
        assertThatThrownBy(() -> NpyFile.read(cut)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("4000000").hasMessageContaining("only 40");
        Path notNpy = tmp.resolve("x.npy");
        Files.writeString(notNpy, "PK\u0003\u0004 an npz perhaps");
        assertThatThrownBy(() -> NpyFile.read(notNpy)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("magic");
    }

    private static byte[] npy(String dict, byte[] data) {
        int total = 10 + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - total) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.array();
    }

    private static byte[] longBytes(long... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        Arrays.stream(v).forEach(b::putLong);
        return b.array();
    }
}
