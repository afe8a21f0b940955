package io.github.tokenrefresh.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One task of a {@link ManualScheduler}: its due time on the manual clock, its place among tasks due
 * at the same time, and for a periodic task how the next due time follows from this run.
 */
final class ManualScheduledTask<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {

    /** How a periodic task's next due time is found; {@code NONE} for a one-shot task. */
    enum Repeat { NONE, FIXED_RATE, FIXED_DELAY }

    private final ManualScheduler owner;
    private final Runnable original;
    private final Repeat repeat;
    private final Duration period;

    // Written by the owner under its lock, read by getDelay from any thread.
    private volatile Instant due;
    private volatile long sequence;

    ManualScheduledTask(ManualScheduler owner, Callable<V> callable, Runnable original,
            Instant due, Repeat repeat, Duration period) {
        super(callable);
        this.owner = owner;
        this.original = original;
        this.due = due;
        this.repeat = repeat;
        this.period = period;
    }

    Instant due() {
        return due;
    }

    long sequence() {
        return sequence;
    }

    void place(Instant newDue, long newSequence) {
        this.due = newDue;
        this.sequence = newSequence;
    }

    /** The task as the caller handed it over, for {@link ManualScheduler#shutdownNow()}. */
    Runnable original() {
        return original != null ? original : this;
    }

    /** Where the next run falls once this run, which was due at {@code ranAt}, has finished. */
    Instant nextDue(Instant ranAt, Instant finishedAt) {
        if (repeat == Repeat.FIXED_RATE) {
            return ranAt.plus(period);
        }
        return finishedAt.plus(period);
    }

    @Override
    public boolean isPeriodic() {
        return repeat != Repeat.NONE;
    }

    @Override
    public void run() {
        if (!isPeriodic()) {
            super.run();
            return;
        }

        Instant ranAt = due;
        if (runAndReset()) {
            owner.reschedule(this, ranAt);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            owner.remove(this);
        }
        return cancelled;
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(Duration.between(owner.clock().instant(), due));
    }

    @Override
    public int compareTo(Delayed other) {
        if (other == this) {
            return 0;
        }
        if (other instanceof ManualScheduledTask) {
            ManualScheduledTask<?> task = (ManualScheduledTask<?>) other;
            int byDue = due.compareTo(task.due);
            return byDue != 0 ? byDue : Long.compare(sequence, task.sequence);
        }
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public String toString() {
        return "ManualScheduledTask[due=" + due + ", repeat=" + repeat
                + (isPeriodic() ? ", period=" + period : "") + ", done=" + isDone() + "]";
    }
}
