package dev.sit.plugins.loggers.wandb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** What W&B needs to know of a PNG: its size from the IHDR chunk, its SHA-256, and its media path. */
final class PngFile {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private PngFile() {
    }

    /** {width, height} from IHDR (big-endian ints at byte offsets 16 and 20). */
    static int[] dimensions(byte[] png) {
        if (png.length < 24) {
            throw new IllegalArgumentException("not a PNG: only " + png.length + " bytes");
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (png[i] != SIGNATURE[i]) {
                throw new IllegalArgumentException("not a PNG: the file does not start with the PNG signature");
            }
        }
        if (!new String(png, 12, 4, StandardCharsets.US_ASCII).equals("IHDR")) {
            throw new IllegalArgumentException("not a PNG: the first chunk is not IHDR");
        }
        ByteBuffer b = ByteBuffer.wrap(png);
        return new int[] {b.getInt(16), b.getInt(20)};
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /**
     * The SDK's media path {@code media/images/<key>_<step>_<sha256[:20]>.png}; a key with
     * {@code /} makes sub-folders, made safe as the SDK does (no leading {@code /}, no {@code .}
     * or {@code ..} parts).
     */
    static String mediaPath(String key, long step, String sha256) {
        List<String> parts = new ArrayList<>();
        for (String part : key.replace('\\', '/').split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            parts.add(part.equals(".") || part.equals("..") ? "_" : part);
        }
        String safeKey = parts.isEmpty() ? "image" : String.join("/", parts);
        return "media/images/" + safeKey + "_" + step + "_" + sha256.substring(0, 20) + ".png";
    }
}
