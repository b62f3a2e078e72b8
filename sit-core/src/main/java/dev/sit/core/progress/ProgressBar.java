package dev.sit.core.progress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line for long work: {@code label [#####.....] 412/1000 41% 3.2 it/s eta 03:05 | extra}.
 * On a terminal it redraws one line at most a few times a second; otherwise (CI, log files) it
 * prints a full line every ten percent, so logs stay short.
 */
public final class ProgressBar implements AutoCloseable {

    private static final long REDRAW_NANOS = 250_000_000L;

    private final String label;
    private final long total;
    private final long startDone;
    private final PrintStream out;
    private final boolean interactive;
    private final long started = System.nanoTime();
    private long lastDraw;
    private long lastDecile = -1;
    private boolean drawn;

    public ProgressBar(String label, long total, long alreadyDone, PrintStream out) {
        this(label, total, alreadyDone, out, System.console() != null);
    }

    public ProgressBar(String label, long total, long alreadyDone, PrintStream out, boolean interactive) {
        this.label = label;
        this.total = Math.max(1, total);
        this.startDone = alreadyDone;
        this.out = out;
        this.interactive = interactive;
    }

    /** Reports progress; {@code extra} is shown after the bar (e.g. "loss 0.123 | 4.1 img/s"). */
    public void update(long done, String extra) {
        long now = System.nanoTime();
        long decile = done * 10 / total;
        boolean finished = done >= total;
        if (interactive) {
            if (!finished && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            out.print("\r" + line(done, extra, now) + "\u001b[K");
            out.flush();
            drawn = true;
        } else {
            if (decile == lastDecile && !finished) {
                return;
            }
            out.println(line(done, extra, now));
            lastDecile = decile;
        }
        lastDraw = now;
    }

    private String line(long done, String extra, long now) {
        double seconds = (now - started) / 1e9;
        double rate = seconds > 0 ? (done - startDone) / seconds : 0;
        long remaining = rate > 0 ? Math.round((total - done) / rate) : -1;
        int width = 24;
        int filled = (int) Math.min(width, done * width / total);
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        return String.format(Locale.ROOT, "%s [%s] %d/%d %3d%% %.2f it/s eta %s%s", label, bar, done, total,
                done * 100 / total, rate, remaining < 0 ? "--:--" : clock(remaining),
                extra == null || extra.isEmpty() ? "" : " | " + extra);
    }

    private static String clock(long seconds) {
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }

    @Override
    public void close() {
        if (interactive && drawn) {
            out.println();
        }
    }
}
