package dev.sit.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An IDX file (the MNIST / Fashion-MNIST format) of unsigned bytes: a big-endian magic
 * {@code 0x0000 08 D} (type 0x08 = ubyte, D dimensions), D big-endian int32 sizes, then the
 * bytes in C order. Gzip-compressed files are recognised by their first two bytes.
 */
public record IdxFile(int[] dims, byte[] data) {

    public IdxFile {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("IDX dims " + Arrays.toString(dims) + " need " + n + " bytes, got " + data.length);
        }
    }

    public static IdxFile read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
            DataInputStream data = new DataInputStream(in);
            int magic = data.readInt();
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != 0x08) {
                throw new IOException(file + ": not an IDX file of unsigned bytes (magic 0x"
                        + Integer.toHexString(magic) + ", expected 0x0000080D)");
            }
            int rank = magic & 0xFF;
            if (rank < 1 || rank > 4) {
                throw new IOException(file + ": IDX rank " + rank + " is not supported");
            }
            int[] dims = new int[rank];
            long n = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = data.readInt();
                if (dims[i] < 0) {
                    throw new IOException(file + ": negative IDX dimension " + dims[i]);
                }
                n *= dims[i];
            }
            if (n > Integer.MAX_VALUE - 16) {
                throw new IOException(file + ": IDX array too large (" + n + " bytes)");
            }
            byte[] bytes = new byte[(int) n];
            try {
                data.readFully(bytes);
            } catch (EOFException e) {
                throw new IOException(file + ": truncated IDX file: dims " + Arrays.toString(dims) + " need "
                        + n + " bytes of data", e);
            }
            return new IdxFile(dims, bytes);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": corrupt gzip data: " + e.getMessage(), e);
        }
    }
}
