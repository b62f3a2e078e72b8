package dev.sit.core.model;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Runs a SameDiff call with {@code System.out} silenced: building a gradient function prints one
 * "Added differentiated op" line per op (about 2000 for SiT-S/2) to standard output.
 */
public final class QuietStdout {

    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    private QuietStdout() {
    }

    public static synchronized <T> T call(Supplier<T> action) {
        PrintStream out = System.out;
        System.setOut(NOWHERE);
        try {
            return action.get();
        } finally {
            System.setOut(out);
        }
    }

    public static void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }
}
