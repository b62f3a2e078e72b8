package dev.sit.plugins.nccl;

import java.util.Base64;

/**
 * NCCL's unique id ({@code ncclUniqueId}: {@value #BYTES} opaque bytes that rank 0 makes and every rank passes to
 * {@code ncclCommInitRank}) as a text message, the form Spark's barrier {@code allGather} carries.
 */
final class UniqueIdMessage {

    /** {@code NCCL_UNIQUE_ID_BYTES}. */
    static final int BYTES = 128;

    private UniqueIdMessage() {
    }

    static String encode(byte[] id) {
        if (id.length != BYTES) {
            throw new IllegalArgumentException("an NCCL unique id has " + BYTES + " bytes, got " + id.length);
        }
        return Base64.getEncoder().encodeToString(id);
    }

    static byte[] decode(String message) {
        byte[] id;
        try {
            id = Base64.getDecoder().decode(message);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the NCCL unique id rank 0 sent is not base64 text: " + e.getMessage(), e);
        }
        if (id.length != BYTES) {
            throw new IllegalStateException("the NCCL unique id rank 0 sent has " + id.length + " bytes, not " + BYTES
                    + ": every replica must run the same sit build");
        }
        return id;
    }
}
