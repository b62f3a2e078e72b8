package dev.sit.core.io;

import static dev.sit.core.io.IoTestFiles.golden;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SafetensorsFileTest {

    @TempDir
    Path tmp;

    @Test
    void theSameTensorsAndMetadataAreTheSameBytesWhateverTheMapOrder() throws IOException {
        // Map.of iterates in an order that changes from one JVM to the next: the file must not
        Map<String, INDArray> tensors = Map.of("w", Nd4j.linspace(DataType.FLOAT, 1, 6, 1).reshape(2, 3));
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("format", "sit-checkpoint");
        ab.put("step", "40");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("step", "40");
        ba.put("format", "sit-checkpoint");
        SafetensorsFile.write(tmp.resolve("ab.safetensors"), tensors, ab);
        SafetensorsFile.write(tmp.resolve("ba.safetensors"), tensors, ba);
        assertThat(Files.readAllBytes(tmp.resolve("ab.safetensors"))).isEqualTo(Files.readAllBytes(tmp.resolve("ba.safetensors")));
    }

    @Test
    void stateDictRoundTripIsIdentical() throws IOException {
        Map<String, INDArray> sd = TorchCheckpointReader.read(golden("train-checkpoint/0000002.pt")).weightsForSampling();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("source", "train-checkpoint/0000002.pt ema");
        Path file = tmp.resolve("ema.safetensors");
        SafetensorsFile.write(file, sd, meta);
        Map<String, INDArray> back = SafetensorsFile.read(file);
        assertThat(back.keySet()).containsExactlyElementsOf(sd.keySet());
        for (String k : sd.keySet()) {
            INDArray a = sd.get(k);
            INDArray b = back.get(k);
            assertThat(b.dataType()).as(k).isEqualTo(a.dataType());
            assertThat(b.shape()).as(k).containsExactly(a.shape());
            // bit-identical, not merely equal within a tolerance
            assertThat(b.data().asInt()).as(k).containsExactly(a.dup('c').data().asInt());
        }
        assertThat(SafetensorsFile.readMetadata(file)).containsExactlyEntriesOf(meta);
        long params = sd.values().stream().mapToLong(INDArray::length).sum();
        assertThat(Files.size(file)).isGreaterThan(params * 4).isLessThan(params * 4 + 8 + 4096);
    }

    @Test
    void mixedTypesViewsAndHalfPrecision() throws IOException {
        INDArray base = Nd4j.arange(24).castTo(DataType.DOUBLE).divi(7).reshape(2, 3, 4);
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("f64.view", base.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(1, 3)));
        t.put("f32.forder", Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {3, 2}, 'f'));
        t.put("i64", Nd4j.createFromArray(new long[] {-1, Long.MAX_VALUE}));
        t.put("i32", Nd4j.createFromArray(new int[] {7}).reshape(1, 1));
        t.put("scalar", Nd4j.scalar(2.5f));
        t.put("empty", Nd4j.create(DataType.FLOAT, 0));
        t.put("f16", Nd4j.createFromArray(new float[] {1f, -2.5f, 65504f}).castTo(DataType.HALF));
        t.put("bf16", Nd4j.createFromArray(new float[] {1f, -3f}).castTo(DataType.BFLOAT16));
        Path file = tmp.resolve("mixed.safetensors");
        SafetensorsFile.write(file, t, Map.of());
        Map<String, INDArray> back = SafetensorsFile.read(file);
        assertThat(back.keySet()).containsExactlyElementsOf(t.keySet());
        for (String k : t.keySet()) {
            if (k.startsWith("f16") || k.startsWith("bf16")) {
                assertThat(back.get(k).dataType()).isEqualTo(DataType.FLOAT);
                assertThat(back.get(k)).as(k).isEqualTo(t.get(k).castTo(DataType.FLOAT));
            } else {
                assertThat(back.get(k)).as(k).isEqualTo(t.get(k));
            }
        }
        assertThat(SafetensorsFile.readMetadata(file)).isEmpty();
        String header = header(file);
        assertThat(header).contains("\"f16\":{\"dtype\":\"F16\",\"shape\":[3]")
                .contains("\"bf16\":{\"dtype\":\"BF16\"").doesNotContain("__metadata__");
    }

    @Test
    void writeIsAtomicAndReplaces() throws IOException {
        Path file = tmp.resolve("sub/w.safetensors");
        SafetensorsFile.write(file, Map.of("a", Nd4j.ones(DataType.FLOAT, 3)), Map.of("step", "1"));
        SafetensorsFile.write(file, Map.of("b", Nd4j.zeros(DataType.FLOAT, 2)), Map.of("step", "2"));
        assertThat(SafetensorsFile.read(file)).containsOnlyKeys("b");
        assertThat(SafetensorsFile.readMetadata(file)).containsEntry("step", "2");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temporary files left behind
        }
        // a failing write leaves the previous file untouched
        Map<String, INDArray> bad = new LinkedHashMap<>();
        bad.put("ok", Nd4j.ones(2));
        bad.put("__metadata__", Nd4j.ones(2));
        assertThatThrownBy(() -> SafetensorsFile.write(file, bad, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(SafetensorsFile.read(file)).containsOnlyKeys("b");
    }

    @Test
    void headerLengthPastTheEnd() throws IOException {
        Path good = writeSample();
        byte[] bytes = Files.readAllBytes(good);
        for (long len : new long[] {bytes.length, Long.MAX_VALUE / 2, -1L}) {
            byte[] broken = bytes.clone();
            ByteBuffer.wrap(broken).order(ByteOrder.LITTLE_ENDIAN).putLong(0, len);
            Path p = tmp.resolve("len" + len + ".safetensors");
            Files.write(p, broken);
            assertThatThrownBy(() -> SafetensorsFile.read(p)).isInstanceOf(CheckpointFormatException.class)
                    .hasMessageContaining(p.toString()).hasMessageContaining("header length")
                    .hasMessageContaining("past the end");
        }
        Path cut = tmp.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertThatThrownBy(() -> SafetensorsFile.read(cut)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("'b'").hasMessageContaining("truncated");
        Path tiny = tmp.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafetensorsFile.read(tiny)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("3 bytes");
    }

    @Test
    void offsetsDisagreeingWithShapeOverlappingOrGapped() throws IOException {
        String ok = "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[16,28]}";
        assertThat(SafetensorsFile.read(raw("ok", "{" + ok + "}", 28))).containsOnlyKeys("a", "b");
        // header order is kept even when it is not the data order
        String swapped = "\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[16,28]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}";
        assertThat(SafetensorsFile.read(raw("swapped", "{" + swapped + "}", 28)).keySet()).containsExactly("b", "a");

        expectError("shape", "{" + ok.replace("[2,2]", "[2,3]") + "}", 28,
                "tensor 'a'", "F32", "[2, 3]", "need 24 bytes", "span 16");
        expectError("dtype", "{" + ok.replace("\"F32\",\"shape\":[3]", "\"F64\",\"shape\":[3]") + "}", 28,
                "tensor 'b'", "need 24 bytes", "span 12");
        expectError("overlap", "{" + ok.replace("[16,28]", "[12,24]").replace("[3]", "[3]") + "}", 28,
                "overlap", "'a'", "'b'");
        expectError("gap", "{" + ok.replace("[16,28]", "[20,32]") + "}", 32, "gap of 4 bytes");
        expectError("past", "{" + ok + "}", 20, "run past the end", "truncated");
        expectError("trailing", "{" + ok + "}", 40, "trailing");
        expectError("json", "{\"a\": {\"dtype\": ", 0, "not valid JSON");
        expectError("dup", "{" + ok + ",\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[28,28]}}", 28,
                "duplicate tensor name 'a'");
        expectError("unknown", "{" + ok.replace("\"F32\",\"shape\":[3]", "\"F8_E4M3\",\"shape\":[3]") + "}", 28,
                "F8_E4M3");
        expectError("huge", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],"
                + "\"data_offsets\":[0,16]}}", 16, "too large");
    }

    private void expectError(String name, String header, int dataBytes, String... fragments) throws IOException {
        Path p = raw(name, header, dataBytes);
        var thrown = assertThatThrownBy(() -> SafetensorsFile.read(p)).as(name)
                .isInstanceOf(CheckpointFormatException.class).hasMessageContaining(p.toString());
        for (String f : fragments) {
            thrown.hasMessageContaining(f);
        }
    }

    private Path raw(String name, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = tmp.resolve(name + ".safetensors");
        Files.write(p, b.array());
        return p;
    }

    private Path writeSample() throws IOException {
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("a", Nd4j.arange(6).castTo(DataType.FLOAT).reshape(2, 3));
        t.put("b", Nd4j.arange(8).castTo(DataType.FLOAT));
        Path p = tmp.resolve("sample.safetensors");
        SafetensorsFile.write(p, t, Map.of());
        return p;
    }

    private static String header(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(n % 8).isZero();
        return new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    }
}
