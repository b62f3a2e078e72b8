package dev.sit.plugins.loggers.wandb;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/** W&B run ids: the reference's derivation from the experiment name, and the SDK's validity rules. */
public final class RunId {

    private static final String FORBIDDEN = ":;,#?/'";

    private RunId() {
    }

    /**
     * The reference's {@code generate_run_id(exp_name)}:
     * {@code str(int(sha256(name.encode("utf-8")).hexdigest(), 16) % 10**8)}, a decimal number
     * below 10^8 without leading zeros.
     */
    public static String fromExperimentName(String experimentName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(experimentName.getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, digest).mod(BigInteger.TEN.pow(8)).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** Why {@code id} is not a valid run id (the SDK's {@code validate_run_id}), or empty. */
    public static Optional<String> problem(String id) {
        if (id.isEmpty()) {
            return Optional.of("run id must not be empty");
        }
        if (!id.equals(id.strip())) {
            return Optional.of("run id '" + id + "' must not start or end with whitespace");
        }
        for (char c : id.toCharArray()) {
            if (FORBIDDEN.indexOf(c) >= 0) {
                return Optional.of("run id '" + id + "' must not contain any of " + FORBIDDEN);
            }
        }
        return Optional.empty();
    }
}
