package io.github.tokenrefresh.examples.demo;

import io.github.tokenrefresh.TokenFailures;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The demo's load: a number of caller threads, spread round-robin over the three clients, each calling the resource
 * in a loop until the run's time is up, at most {@code rate} calls per second in all. Every call's outcome is
 * counted in {@link DemoMeters#REQUESTS}; the main thread meanwhile shows progress read from the meters.
 *
 * <p>Used by one thread, which calls {@link #run(Runnable)} once.
 */
final class Callers {

    /** How often the progress line is refreshed: often enough to look live, rarely enough to cost nothing. */
    private static final long PROGRESS_INTERVAL_MILLIS = 250;

    /** How long the callers get to finish their last call after the time is up: a call's retries included. */
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(30);

    private final DemoClients clients;
    private final DemoMeters meters;
    private final int threads;
    private final long nanosPerCall;
    private final Duration duration;
    private final AtomicLong nextSlotNanos = new AtomicLong();
    private volatile long deadlineNanos;

    Callers(DemoClients clients, DemoMeters meters, int threads, int rate, Duration duration) {
        this.clients = clients;
        this.meters = meters;
        this.threads = threads;
        this.nanosPerCall = rate == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / rate;
        this.duration = duration;
    }

    /**
     * Runs the callers for the configured time and waits until each has finished its last call.
     *
     * @param everyTick called on this thread a few times a second while the callers run, to show progress
     * @throws InterruptedException if this thread is interrupted; the callers are then stopped
     */
    void run(Runnable everyTick) throws InterruptedException {
        long start = System.nanoTime();
        deadlineNanos = start + duration.toNanos();
        nextSlotNanos.set(start);

        List<Thread> callers = new ArrayList<>(threads);
        DemoClients.Client[] kinds = DemoClients.Client.values();
        for (int i = 0; i < threads; i++) {
            DemoClients.Client client = kinds[i % kinds.length];
            Thread caller = new Thread(() -> callUntilDeadline(client),
                    String.format(Locale.ROOT, "demo-caller-%d-%s", i + 1, client.tag()));
            caller.setDaemon(true);
            callers.add(caller);
        }
        callers.forEach(Thread::start);

        try {
            while (System.nanoTime() < deadlineNanos) {
                everyTick.run();
                long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
                Thread.sleep(Math.max(1, Math.min(PROGRESS_INTERVAL_MILLIS, left)));
            }
            long finishBy = System.nanoTime() + FINISH_TIMEOUT.toNanos();
            for (Thread caller : callers) {
                caller.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(finishBy - System.nanoTime())));
            }
            everyTick.run();
        } finally {
            deadlineNanos = System.nanoTime();
            callers.forEach(Thread::interrupt);
        }
    }

    private void callUntilDeadline(DemoClients.Client client) {
        while (waitForSlot()) {
            String outcome;
            try {
                int status = clients.call(client);
                outcome = status == 200 ? DemoMeters.SUCCESS : "http_" + status;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                outcome = TokenFailures.unwrap(e).getClass().getSimpleName();
            }
            meters.countRequest(client.tag(), outcome);
        }
    }

    /** Waits for this caller's next turn under the rate limit; false once the time is up. */
    private boolean waitForSlot() {
        if (nanosPerCall == 0) {
            return System.nanoTime() < deadlineNanos && !Thread.currentThread().isInterrupted();
        }
        // A slot never lies in the past, so callers that fell behind do not catch up in a burst.
        long now = System.nanoTime();
        long slot = Math.max(now, nextSlotNanos.getAndUpdate(next -> Math.max(next, now) + nanosPerCall));
        if (slot >= deadlineNanos) {
            return false;
        }
        long wait;
        while ((wait = slot - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        return System.nanoTime() < deadlineNanos;
    }
}
