package io.github.tokenrefresh.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Clock} that stands still until a test moves it, so expiry and scheduling can be tested
 * without sleeping.
 *
 * <p>The clock starts at {@link #DEFAULT_START} unless another instant is given, and its zone is
 * UTC. {@link #advance(Duration)} and {@link #set(Instant)} move it forward and run, on the calling
 * thread, every task of the {@link ManualScheduler}s attached to this clock that falls due on the
 * way, in order of due time. While such a task runs the clock reads the task's due time, so a task
 * that schedules another one or reads the time sees what it would have seen in real life; once the
 * due tasks have run the clock stands at the requested instant.
 *
 * <p>Thread-safety: safe for use by any number of threads. Reading the time never blocks. Moves of
 * the clock are serialized: a second thread calling {@code advance} waits until the first one has
 * run its due tasks. A task may itself move the clock (the lock is reentrant), but a task must not
 * wait for another thread that moves this clock, because that thread waits for the task.
 */
public final class ManualClock extends Clock {

    /**
     * Where a clock made with {@link #ManualClock()} starts: a fixed instant, so test output is the
     * same on every run, and far from the epoch, so code that treats zero as "unset" is not fooled.
     */
    public static final Instant DEFAULT_START = Instant.parse("2030-01-01T00:00:00Z");

    private final ReentrantLock moveLock = new ReentrantLock();
    private final List<ManualScheduler> schedulers = new CopyOnWriteArrayList<>();
    private volatile Instant now;

    /**
     * Creates a clock standing at {@link #DEFAULT_START}.
     *
     * <p>Thread-safety: the new clock may be shared with other threads once constructed.
     */
    public ManualClock() {
        this(DEFAULT_START);
    }

    /**
     * Creates a clock standing at the given instant.
     *
     * <p>Thread-safety: the new clock may be shared with other threads once constructed.
     *
     * @param start the instant the clock reads until it is moved
     * @throws NullPointerException if {@code start} is null
     */
    public ManualClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /**
     * Returns the instant the clock currently stands at.
     *
     * <p>Thread-safety: a single volatile read; never blocks.
     *
     * @return the current instant of this clock
     */
    @Override
    public Instant instant() {
        return now;
    }

    /**
     * Returns the current instant in milliseconds since the epoch.
     *
     * <p>Thread-safety: a single volatile read; never blocks.
     *
     * @return the current instant in epoch milliseconds
     */
    @Override
    public long millis() {
        return now.toEpochMilli();
    }

    /**
     * Returns UTC, the zone of this clock.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return {@link ZoneOffset#UTC}
     */
    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /**
     * Returns a clock that reads this clock's instant but reports another zone. Moving this clock
     * moves the returned one; the returned clock cannot be moved itself.
     *
     * <p>Thread-safety: the returned clock is as thread-safe as this one.
     *
     * @param zone the zone the returned clock reports
     * @return this clock if {@code zone} is UTC, otherwise a view of it in {@code zone}
     * @throws NullPointerException if {@code zone} is null
     */
    @Override
    public Clock withZone(ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        if (zone.equals(ZoneOffset.UTC)) {
            return this;
        }
        return new ZonedView(this, zone);
    }

    /**
     * Moves the clock forward by {@code amount}, running the tasks that fall due on the way.
     *
     * <p>Each due task of every attached {@link ManualScheduler} runs on the calling thread, in
     * order of due time (ties in the order they were scheduled), with the clock reading the task's
     * due time. A periodic task runs once per period crossed. Tasks scheduled by those tasks run in
     * the same call if they fall due before the target.
     *
     * <p>Thread-safety: serialized with other moves of this clock; see the class description.
     *
     * @param amount how far to move; zero runs the tasks already due without moving the clock
     * @throws NullPointerException if {@code amount} is null
     * @throws IllegalArgumentException if {@code amount} is negative
     */
    public void advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("advance amount must not be negative, got " + amount
                    + "; use set(Instant) to move the clock back");
        }

        moveLock.lock();
        try {
            moveForwardTo(now.plus(amount));
        } finally {
            moveLock.unlock();
        }
    }

    /**
     * Puts the clock at {@code instant}.
     *
     * <p>Moving forward behaves like {@link #advance(Duration)} by the difference. Moving back is
     * allowed, to imitate a wall clock being corrected, and runs no task; scheduled tasks then fall
     * due later by the same amount of clock time.
     *
     * <p>Thread-safety: serialized with other moves of this clock; see the class description.
     *
     * @param instant where the clock should stand
     * @throws NullPointerException if {@code instant} is null
     */
    public void set(Instant instant) {
        Objects.requireNonNull(instant, "instant");

        moveLock.lock();
        try {
            if (instant.isBefore(now)) {
                now = instant;
            } else {
                moveForwardTo(instant);
            }
        } finally {
            moveLock.unlock();
        }
    }

    /**
     * Describes this clock and the instant it stands at.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return a description for test failure messages
     */
    @Override
    public String toString() {
        return "ManualClock[" + now + "]";
    }

    void attach(ManualScheduler scheduler) {
        schedulers.add(scheduler);
    }

    void detach(ManualScheduler scheduler) {
        schedulers.remove(scheduler);
    }

    private void moveForwardTo(Instant target) {
        while (true) {
            ManualScheduler earliest = null;
            ManualScheduledTask<?> earliestTask = null;
            for (ManualScheduler scheduler : schedulers) {
                ManualScheduledTask<?> next = scheduler.peek();
                if (next != null && !next.due().isAfter(target)
                        && (earliestTask == null || next.compareTo(earliestTask) < 0)) {
                    earliest = scheduler;
                    earliestTask = next;
                }
            }
            if (earliest == null) {
                break;
            }

            // A task due in the past (set back, or scheduled before a backwards move) must not
            // drag the clock backwards.
            Instant due = earliestTask.due();
            if (due.isAfter(now)) {
                now = due;
            }
            earliest.runNextDueTask(due);
        }

        // A task may have moved the clock beyond the target itself; time never goes back here.
        if (target.isAfter(now)) {
            now = target;
        }
    }

    /** Reports a manual clock's instant in another zone. */
    private static final class ZonedView extends Clock {

        private final ManualClock source;
        private final ZoneId zone;

        ZonedView(ManualClock source, ZoneId zone) {
            this.source = source;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId newZone) {
            return source.withZone(newZone);
        }

        @Override
        public Instant instant() {
            return source.instant();
        }

        @Override
        public String toString() {
            return "ManualClock[" + source.instant() + ", " + zone + "]";
        }
    }
}
