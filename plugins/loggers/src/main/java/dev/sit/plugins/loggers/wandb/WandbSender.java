package dev.sit.plugins.loggers.wandb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The background thread that talks to W&B while training goes on. The training thread only
 * offers events to a bounded queue and never waits on the network. The thread creates the run,
 * then merges events into pending data and posts it at most every {@code transmitInterval}
 * (counted from the run's creation), a heartbeat {@code {}} after {@code heartbeat} without posts;
 * one request at a time, retried with back-off. On finish it drains everything and sends
 * {@code complete} last. If the queue overflows or the server stays unreachable, the spool still
 * has every event and {@code sit wandb-sync} delivers it.
 */
final class WandbSender {

    static final int MAX_LINES_PER_POST = 10_000;
    private static final Duration NEVER_REACHED_WAIT = Duration.ofSeconds(10);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final RunStream stream;
    private final WandbHttp http;
    private final RunSpool spool;
    private final WandbTiming timing;
    private final Consumer<String> log;
    private final BlockingQueue<Object> queue;
    private final CompletableFuture<RunStart> started = new CompletableFuture<>();
    private final Thread thread;
    private volatile Integer finishCode;
    private volatile boolean overflowed;
    private volatile boolean delivered;
    private volatile String problem;
    private volatile boolean stopped;

    WandbSender(RunStream stream, WandbHttp http, RunSpool spool, WandbTiming timing, int queueSize, Consumer<String> log) {
        this.stream = stream;
        this.http = http;
        this.spool = spool;
        this.timing = timing;
        this.log = log;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.thread = new Thread(this::run, "wandb-sender");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Completes when the run exists on the server, or fails with the reason it cannot. */
    CompletableFuture<RunStart> started() {
        return started;
    }

    /** Never blocks: a full queue turns live sending into best effort, and the spool keeps the event. */
    void offer(SpoolEvent event) {
        if (stopped) {
            return;
        }
        if (!queue.offer(event) && !overflowed) {
            overflowed = true;
            log.accept("W&B: the sender is " + queue.size() + " events behind; further data is kept in the spool, "
                    + "send it later with sit wandb-sync");
        }
    }

    /** Sends everything offered so far now, ignoring the interval; false if not done in time. */
    boolean flush(Duration timeout) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        if (!thread.isAlive() || !queue.offer(done)) {
            return false;
        }
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Asks for the final drain and {@code complete}, waits up to {@code timeout}, then gives up. */
    boolean finish(int exitCode, Duration timeout) throws InterruptedException {
        finishCode = exitCode;
        if (!started.isDone()) {
            // the server never answered during the run: do not hold the process up for long
            timeout = timeout.compareTo(NEVER_REACHED_WAIT) > 0 ? NEVER_REACHED_WAIT : timeout;
        }
        thread.join(Math.max(1, timeout.toMillis()));
        if (thread.isAlive()) {
            problem = "the W&B server did not take the data within " + timeout.toSeconds() + " s";
            http.cancel();
            thread.interrupt();
            thread.join(5_000);
            return false;
        }
        return delivered;
    }

    /** Why the data is not all delivered, or null. */
    String problem() {
        return problem;
    }

    private void run() {
        List<CountDownLatch> flushes = new ArrayList<>();
        try {
            RunStart start;
            try {
                start = stream.start();
            } catch (WandbSetupException | WandbHttpException e) {
                problem = e.getMessage();
                started.completeExceptionally(e);
                return;
            }
            stream.attach(start);
            spool.writeStart(start);
            started.complete(start);
            long lastPost = System.nanoTime();
            while (true) {
                Object item = queue.poll(waitNanos(lastPost), TimeUnit.NANOSECONDS);
                List<Object> items = new ArrayList<>();
                if (item != null) {
                    items.add(item);
                    queue.drainTo(items);
                }
                for (Object it : items) {
                    if (it instanceof CountDownLatch latch) {
                        flushes.add(latch);
                    } else {
                        stream.apply((SpoolEvent) it);
                    }
                }
                boolean finishing = finishCode != null && queue.isEmpty();
                long now = System.nanoTime();
                if (finishing || !flushes.isEmpty()) {
                    stream.postAll(MAX_LINES_PER_POST);
                    lastPost = System.nanoTime();
                    flushes.forEach(CountDownLatch::countDown);
                    flushes.clear();
                    if (finishing) {
                        stream.complete(finishCode);
                        delivered = stream.failures() == 0 && !overflowed;
                        if (!delivered) {
                            problem = overflowed ? "the sender queue overflowed" : stream.failures() + " uploads or rows failed";
                        }
                        return;
                    }
                } else if (stream.hasPending() && now - lastPost >= timing.transmitInterval().toNanos()) {
                    stream.post(MAX_LINES_PER_POST);
                    lastPost = System.nanoTime();
                } else if (!stream.hasPending() && now - lastPost >= timing.heartbeat().toNanos()) {
                    stream.heartbeat();
                    lastPost = System.nanoTime();
                }
            }
        } catch (WandbHttpException e) {
            problem = e.getMessage();
            log.accept("W&B: stopped sending: " + e.getMessage() + "; everything is kept in the spool for sit wandb-sync");
        } catch (InterruptedException e) {
            if (problem == null) {
                problem = "sending was interrupted";
            }
            if (!started.isDone()) {
                started.completeExceptionally(new WandbHttpException("W&B: the run was not created before the end", 0));
            }
        } catch (RuntimeException e) {
            problem = "W&B sender failed: " + e;
            log.accept(problem);
            started.completeExceptionally(e);
        } finally {
            stopped = true;
            flushes.forEach(CountDownLatch::countDown);
            Object left;
            while ((left = queue.poll()) != null) {
                if (left instanceof CountDownLatch latch) {
                    latch.countDown();
                }
            }
        }
    }

    private long waitNanos(long lastPost) {
        if (finishCode != null) {
            return 0;
        }
        long now = System.nanoTime();
        long until;
        if (stream.hasPending()) {
            until = lastPost + timing.transmitInterval().toNanos();
        } else {
            until = lastPost + timing.heartbeat().toNanos();
        }
        return Math.max(0, Math.min(MAX_POLL_NANOS, until - now));
    }
}
