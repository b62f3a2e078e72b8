package dev.sit.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds hostile {@code torch.save} zips for tests, in other modules too: a zip bomb (a state dict
 * whose storage is gigabytes of zeros deflated to about a thousandth of that, made only of allowed
 * pickle globals, so nothing but the size gives it away) and a pickle that calls a global.
 */
public final class HostileCheckpoints {

    private HostileCheckpoints() {
    }

    /** A zip whose pickle calls {@code module.name("true")}, as a malicious checkpoint would. */
    public static void withGlobal(Path file, String module, String name) throws IOException {
        byte[] pickle = new PickleBytes().proto(2).global(module, name).mark().str("true").tuple().reduce().stop()
                .bytes();
        Files.write(file, PickleBytes.torchZip("evil", pickle, Map.of()));
    }

    /**
     * A state dict {@code {key: float tensor of size}} on one storage of {@code storageElements}
     * zeros (a view of its start when larger than the tensor), deflated.
     */
    public static void zipBomb(Path file, Map<String, long[]> tensors, long storageElements) throws IOException {
        PickleBytes p = new PickleBytes().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark();
        for (Map.Entry<String, long[]> e : tensors.entrySet()) {
            long[] size = e.getValue();
            long[] stride = new long[size.length];
            long s = 1;
            for (int i = size.length - 1; i >= 0; i--) {
                stride[i] = s;
                s *= size[i];
            }
            p.str(e.getKey()).floatTensor("0", storageElements, 0, size, stride);
        }
        byte[] pickle = p.setitems().stop().bytes();
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry("bomb/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
            ZipEntry data = new ZipEntry("bomb/data/0");
            zip.putNextEntry(data);
            byte[] zeros = new byte[1 << 20];
            long bytes = storageElements * 4;
            for (long done = 0; done < bytes; done += zeros.length) {
                zip.write(zeros, 0, (int) Math.min(zeros.length, bytes - done));
            }
            zip.closeEntry();
            ZipEntry version = new ZipEntry("bomb/version");
            byte[] v = "3\n".getBytes(StandardCharsets.US_ASCII);
            CRC32 crc = new CRC32();
            crc.update(v);
            zip.putNextEntry(version);
            zip.write(v);
            zip.closeEntry();
        }
    }

    /** One GiB of float zeros: 2^28 elements. */
    public static final long ONE_GIB_OF_FLOATS = 1L << 28;
}
