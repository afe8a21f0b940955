package io.github.tokenrefresh.examples.demo;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What the demo prints while it runs: timestamped event lines, and a progress line that an {@link
 * DemoOptions.Progress#INLINE inline} console rewrites in place, keeping it below the events.
 *
 * <p>Thread-safe: event lines come from the policy's and the breakers' threads while the main thread updates the
 * progress line; each print is atomic.
 */
final class DemoConsole {

    /** How often a {@link DemoOptions.Progress#LINES lines} console prints progress: often enough to follow. */
    private static final long LINES_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final PrintStream out;
    private final DemoOptions.Progress progress;
    private volatile long startNanos;

    // Guarded by this.
    private String progressLine = "";
    private long lastProgressLineNanos;

    DemoConsole(PrintStream out, DemoOptions.Progress progress) {
        this.out = Objects.requireNonNull(out, "out must not be null");
        this.progress = Objects.requireNonNull(progress, "progress must not be null");
        this.startNanos = System.nanoTime();
        this.lastProgressLineNanos = startNanos;
    }

    /** Starts the demo's time axis now: event times are measured from here. */
    void startClock() {
        startNanos = System.nanoTime();
    }

    /** Returns the seconds since the clock started, the demo's time axis. */
    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Prints a line as it is, above the progress line. */
    synchronized void line(String text) {
        clearProgress();
        out.println(text);
        redrawProgress();
    }

    /** Prints an event with the time since the start, above the progress line. */
    void event(String text) {
        line(String.format(Locale.ROOT, "%7.1fs  %s", elapsedSeconds(), text));
    }

    /** Shows the progress, in place or as a line every few seconds depending on the style. */
    synchronized void progress(String text) {
        long now = System.nanoTime();
        String stamped = String.format(Locale.ROOT, "%7.1fs  %s", elapsedSeconds(), text);
        if (progress == DemoOptions.Progress.INLINE) {
            String previous = progressLine;
            progressLine = stamped;
            out.print('\r' + stamped + " ".repeat(Math.max(0, previous.length() - stamped.length())));
            out.flush();
        } else if (progress == DemoOptions.Progress.LINES && now - lastProgressLineNanos >= LINES_INTERVAL_NANOS) {
            lastProgressLineNanos = now;
            out.println(stamped);
        }
    }

    /** Ends the progress line so what follows starts on a line of its own. */
    synchronized void endProgress() {
        if (!progressLine.isEmpty()) {
            out.println();
            progressLine = "";
        }
    }

    private void clearProgress() {
        if (!progressLine.isEmpty()) {
            out.print('\r' + " ".repeat(progressLine.length()) + '\r');
        }
    }

    private void redrawProgress() {
        if (!progressLine.isEmpty()) {
            out.print(progressLine);
            out.flush();
        }
    }
}
