package io.github.tokenrefresh.testing;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ScheduledExecutorService} whose tasks run only when a test lets them, on the test's own
 * thread, with due times read from a {@link ManualClock}.
 *
 * <p>A task falls due at the clock's instant when it was scheduled plus its delay. Due tasks run
 * when the clock is moved past them ({@link ManualClock#advance(Duration)}) or when
 * {@link #runDueTasks()} is called, in order of due time, ties in the order they were scheduled.
 * {@link #execute(Runnable)} and the {@code submit} methods queue the task with a zero delay, the way
 * {@link java.util.concurrent.ScheduledThreadPoolExecutor} does: it does not run inside the call,
 * so code that hands work to an executor to avoid blocking its caller keeps that property under
 * test, and the test decides when the work happens. {@code invokeAll} and {@code invokeAny} are the
 * exception: waiting for a thread that does not exist would hang, so they run the work at once.
 *
 * <p>A task that throws completes its future exceptionally, and the throwable is also kept in
 * {@link #failures()} so a test can assert that no background task failed unseen. A periodic task
 * that throws runs no more. Cancelling a task removes it from the queue.
 *
 * <p>{@link #shutdown()} refuses new tasks, cancels periodic tasks and lets queued one-shot tasks
 * run when they fall due; {@link #shutdownNow()} cancels everything queued. Once terminated the
 * scheduler detaches from its clock.
 *
 * <p>Thread-safety: safe for use by any number of threads. Tasks run on whichever thread moves the
 * clock or calls {@code runDueTasks}, never concurrently with themselves; tasks of one scheduler may
 * run concurrently only if two threads pump it at once.
 */
public final class ManualScheduler implements ScheduledExecutorService {

    // Shared by all schedulers so the clock can order equal due times across them.
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private static final Comparator<ManualScheduledTask<?>> DUE_ORDER =
            Comparator.<ManualScheduledTask<?>, Instant>comparing(ManualScheduledTask::due)
                    .thenComparingLong(ManualScheduledTask::sequence);

    private final ManualClock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition terminatedCondition = lock.newCondition();
    private final PriorityQueue<ManualScheduledTask<?>> queue = new PriorityQueue<>(DUE_ORDER);
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private int running;
    private boolean shutdown;
    private boolean terminated;

    /**
     * Creates a scheduler driven by {@code clock} and attaches it, so moving the clock runs the
     * scheduler's due tasks.
     *
     * <p>Thread-safety: the new scheduler may be shared with other threads once constructed.
     *
     * @param clock the clock that decides when tasks fall due
     * @throws NullPointerException if {@code clock} is null
     */
    public ManualScheduler(ManualClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        clock.attach(this);
    }

    /**
     * Returns the clock that drives this scheduler.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the clock given at construction
     */
    public ManualClock clock() {
        return clock;
    }

    /**
     * Runs, on the calling thread, every task due at the clock's current instant, including tasks
     * that those tasks schedule with no delay, without moving the clock.
     *
     * <p>Thread-safety: safe from any thread; a task is taken from the queue before it runs, so two
     * threads pumping at once never run the same task twice.
     *
     * @return how many task runs happened
     */
    public int runDueTasks() {
        int runs = 0;
        while (runNextDueTask(clock.instant())) {
            runs++;
        }
        return runs;
    }

    /**
     * Returns how many tasks are queued: scheduled, not yet run (or periodic) and not cancelled.
     *
     * <p>Thread-safety: a snapshot; other threads may change it at once.
     *
     * @return the number of queued tasks
     */
    public int pendingTaskCount() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns when the earliest queued task falls due, if any task is queued.
     *
     * <p>Thread-safety: a snapshot; other threads may change it at once.
     *
     * @return the earliest due time, or empty if nothing is queued
     */
    public Optional<Instant> nextDueTime() {
        ManualScheduledTask<?> next = peek();
        return next == null ? Optional.empty() : Optional.of(next.due());
    }

    /**
     * Returns everything thrown by this scheduler's tasks so far, in the order thrown.
     *
     * <p>Thread-safety: returns an immutable snapshot.
     *
     * @return the throwables, empty if no task failed
     */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    /**
     * Queues {@code command} to run once, after {@code delay} of manual clock time.
     *
     * <p>Thread-safety: safe from any thread, including from a running task.
     *
     * @param command what to run
     * @param delay the delay; zero or negative means due now
     * @param unit the unit of {@code delay}
     * @return a future that completes when the command has run, and whose delay is measured
     *         against the manual clock
     * @throws NullPointerException if {@code command} or {@code unit} is null
     * @throws RejectedExecutionException if the scheduler is shut down
     */
    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        return enqueue(Executors.callable(command), command, delay, unit,
                ManualScheduledTask.Repeat.NONE, Duration.ZERO);
    }

    /**
     * Queues {@code callable} to run once, after {@code delay} of manual clock time.
     *
     * <p>Thread-safety: safe from any thread, including from a running task.
     *
     * @param <V> the result type
     * @param callable what to run
     * @param delay the delay; zero or negative means due now
     * @param unit the unit of {@code delay}
     * @return a future holding the callable's result once it has run
     * @throws NullPointerException if {@code callable} or {@code unit} is null
     * @throws RejectedExecutionException if the scheduler is shut down
     */
    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Objects.requireNonNull(callable, "callable");
        return enqueue(callable, null, delay, unit, ManualScheduledTask.Repeat.NONE, Duration.ZERO);
    }

    /**
     * Queues {@code command} to run first after {@code initialDelay}, then every {@code period}
     * measured from the previous due time, so a clock moved across several periods runs it once per
     * period crossed.
     *
     * <p>Thread-safety: safe from any thread, including from a running task.
     *
     * @param command what to run
     * @param initialDelay the delay before the first run; zero or negative means due now
     * @param period the time between due times
     * @param unit the unit of both durations
     * @return a future that completes only when the task is cancelled or throws
     * @throws NullPointerException if {@code command} or {@code unit} is null
     * @throws IllegalArgumentException if {@code period} is not positive
     * @throws RejectedExecutionException if the scheduler is shut down
     */
    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period,
            TimeUnit unit) {
        return enqueuePeriodic(command, initialDelay, period, unit, ManualScheduledTask.Repeat.FIXED_RATE);
    }

    /**
     * Queues {@code command} to run first after {@code initialDelay}, then {@code delay} after each
     * run finishes, as read on the manual clock.
     *
     * <p>Thread-safety: safe from any thread, including from a running task.
     *
     * @param command what to run
     * @param initialDelay the delay before the first run; zero or negative means due now
     * @param delay the time from the end of one run to the next due time
     * @param unit the unit of both durations
     * @return a future that completes only when the task is cancelled or throws
     * @throws NullPointerException if {@code command} or {@code unit} is null
     * @throws IllegalArgumentException if {@code delay} is not positive
     * @throws RejectedExecutionException if the scheduler is shut down
     */
    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
            TimeUnit unit) {
        return enqueuePeriodic(command, initialDelay, delay, unit, ManualScheduledTask.Repeat.FIXED_DELAY);
    }

    /**
     * Queues {@code command} as due now; it runs on the next {@link #runDueTasks()} or clock move,
     * not inside this call.
     *
     * <p>Thread-safety: safe from any thread, including from a running task.
     *
     * @param command what to run
     * @throws NullPointerException if {@code command} is null
     * @throws RejectedExecutionException if the scheduler is shut down
     */
    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    /**
     * Queues {@code task} as due now, like {@link #execute(Runnable)}.
     *
     * <p>Thread-safety: safe from any thread, including from a running task.
     *
     * @param <T> the result type
     * @param task what to run
     * @return a future holding the task's result once it has run
     * @throws NullPointerException if {@code task} is null
     * @throws RejectedExecutionException if the scheduler is shut down
     */
    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    /**
     * Queues {@code task} as due now, like {@link #execute(Runnable)}.
     *
     * <p>Thread-safety: safe from any thread, including from a running task.
     *
     * @param <T> the result type
     * @param task what to run
     * @param result what the future holds once the task has run
     * @return a future holding {@code result} once the task has run
     * @throws NullPointerException if {@code task} is null
     * @throws RejectedExecutionException if the scheduler is shut down
     */
    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return enqueue(Executors.callable(task, result), task, 0, TimeUnit.NANOSECONDS,
                ManualScheduledTask.Repeat.NONE, Duration.ZERO);
    }

    /**
     * Queues {@code task} as due now, like {@link #execute(Runnable)}.
     *
     * <p>Thread-safety: safe from any thread, including from a running task.
     *
     * @param task what to run
     * @return a future that completes once the task has run
     * @throws NullPointerException if {@code task} is null
     * @throws RejectedExecutionException if the scheduler is shut down
     */
    @Override
    public Future<?> submit(Runnable task) {
        return schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    /**
     * Queues all {@code tasks} and then runs every due task on the calling thread, so the returned
     * futures are done; other tasks already due run too.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param <T> the result type
     * @param tasks what to run
     * @return the futures, in the order of {@code tasks}, all done
     * @throws NullPointerException if {@code tasks} or any element is null
     * @throws RejectedExecutionException if the scheduler is shut down
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (Callable<T> task : tasks) {
            futures.add(submit(task));
        }

        runDueTasks();
        return futures;
    }

    /**
     * Same as {@link #invokeAll(Collection)}: the tasks run on the calling thread, so the timeout,
     * which no real wait could use, is ignored.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param <T> the result type
     * @param tasks what to run
     * @param timeout ignored
     * @param unit ignored, but must not be null
     * @return the futures, in the order of {@code tasks}, all done
     * @throws NullPointerException if {@code tasks}, any element or {@code unit} is null
     * @throws RejectedExecutionException if the scheduler is shut down
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout,
            TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        return invokeAll(tasks);
    }

    /**
     * Calls {@code tasks} one after another on the calling thread until one returns normally.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param <T> the result type
     * @param tasks what to try
     * @return the result of the first task that did not throw
     * @throws ExecutionException if every task threw; its cause is the last throwable
     * @throws IllegalArgumentException if {@code tasks} is empty
     * @throws NullPointerException if {@code tasks} or any element is null
     * @throws RejectedExecutionException if the scheduler is shut down
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws ExecutionException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        rejectIfShutdown();

        Throwable last = null;
        for (Callable<T> task : tasks) {
            Objects.requireNonNull(task, "task");
            try {
                return task.call();
            } catch (Exception | Error e) {
                failures.add(e);
                last = e;
            }
        }
        throw new ExecutionException("every task given to invokeAny threw", last);
    }

    /**
     * Same as {@link #invokeAny(Collection)}; the timeout is ignored because the tasks run on the
     * calling thread.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param <T> the result type
     * @param tasks what to try
     * @param timeout ignored
     * @param unit ignored, but must not be null
     * @return the result of the first task that did not throw
     * @throws ExecutionException if every task threw; its cause is the last throwable
     * @throws IllegalArgumentException if {@code tasks} is empty
     * @throws NullPointerException if {@code tasks}, any element or {@code unit} is null
     * @throws RejectedExecutionException if the scheduler is shut down
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws ExecutionException {
        Objects.requireNonNull(unit, "unit");
        return invokeAny(tasks);
    }

    /**
     * Refuses new tasks, cancels queued periodic tasks and keeps queued one-shot tasks, which still
     * run when they fall due. Calling it again has no further effect.
     *
     * <p>Thread-safety: safe from any thread.
     */
    @Override
    public void shutdown() {
        List<ManualScheduledTask<?>> periodic = new ArrayList<>();
        lock.lock();
        try {
            shutdown = true;
            for (ManualScheduledTask<?> task : queue) {
                if (task.isPeriodic()) {
                    periodic.add(task);
                }
            }
        } finally {
            lock.unlock();
        }

        // Collected first because cancelling removes the task from the queue being scanned.
        for (ManualScheduledTask<?> task : periodic) {
            task.cancel(false);
        }
        checkTerminated();
    }

    /**
     * Refuses new tasks and cancels every queued task.
     *
     * <p>Thread-safety: safe from any thread. A task running on another thread at the time finishes
     * its run; it is not interrupted.
     *
     * @return the tasks that were queued and will now never run, as they were handed over
     */
    @Override
    public List<Runnable> shutdownNow() {
        List<ManualScheduledTask<?>> drained;
        lock.lock();
        try {
            shutdown = true;
            drained = new ArrayList<>(queue);
            drained.sort(DUE_ORDER);
            queue.clear();
        } finally {
            lock.unlock();
        }

        List<Runnable> neverRun = new ArrayList<>(drained.size());
        for (ManualScheduledTask<?> task : drained) {
            task.cancel(false);
            neverRun.add(task.original());
        }
        checkTerminated();
        return neverRun;
    }

    /**
     * Tells whether {@link #shutdown()} or {@link #shutdownNow()} was called.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return true once shut down
     */
    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return shutdown;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tells whether the scheduler is shut down with no task queued or running.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return true once terminated
     */
    @Override
    public boolean isTerminated() {
        lock.lock();
        try {
            return terminated;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the scheduler has terminated. The timeout is real time, not manual clock time:
     * the manual clock may never move while a thread waits here.
     *
     * <p>Thread-safety: safe from any thread; do not call it from the only thread that would run the
     * remaining tasks, or it simply times out.
     *
     * @param timeout the longest real time to wait
     * @param unit the unit of {@code timeout}
     * @return true if terminated, false if the timeout elapsed first
     * @throws InterruptedException if the waiting thread is interrupted
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long remaining = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!terminated) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = terminatedCondition.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Describes the scheduler's state for test failure messages.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return a description with the queue size and the next due time
     */
    @Override
    public String toString() {
        lock.lock();
        try {
            ManualScheduledTask<?> next = queue.peek();
            return "ManualScheduler[pending=" + queue.size()
                    + ", nextDue=" + (next == null ? "none" : next.due())
                    + ", shutdown=" + shutdown + ", terminated=" + terminated + "]";
        } finally {
            lock.unlock();
        }
    }

    ManualScheduledTask<?> peek() {
        lock.lock();
        try {
            return queue.peek();
        } finally {
            lock.unlock();
        }
    }

    /** Takes the earliest task if it is due by {@code limit} and runs it; false if none was. */
    boolean runNextDueTask(Instant limit) {
        ManualScheduledTask<?> task;
        lock.lock();
        try {
            task = queue.peek();
            if (task == null || task.due().isAfter(limit)) {
                return false;
            }
            queue.poll();
            running++;
        } finally {
            lock.unlock();
        }

        try {
            task.run();
        } finally {
            lock.lock();
            try {
                running--;
            } finally {
                lock.unlock();
            }
            checkTerminated();
        }
        return true;
    }

    void reschedule(ManualScheduledTask<?> task, Instant ranAt) {
        lock.lock();
        try {
            if (!shutdown) {
                task.place(task.nextDue(ranAt, clock.instant()), SEQUENCE.incrementAndGet());
                queue.add(task);
                return;
            }
        } finally {
            lock.unlock();
        }
        task.cancel(false);
    }

    void remove(ManualScheduledTask<?> task) {
        lock.lock();
        try {
            queue.remove(task);
        } finally {
            lock.unlock();
        }
        checkTerminated();
    }

    private ScheduledFuture<?> enqueuePeriodic(Runnable command, long initialDelay, long period,
            TimeUnit unit, ManualScheduledTask.Repeat repeat) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(unit, "unit");
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive, got " + period + " " + unit);
        }
        return enqueue(Executors.callable(command), command, initialDelay, unit, repeat,
                Duration.of(period, unit.toChronoUnit()));
    }

    private <V> ManualScheduledTask<V> enqueue(Callable<V> callable, Runnable original, long delay,
            TimeUnit unit, ManualScheduledTask.Repeat repeat, Duration period) {
        Objects.requireNonNull(unit, "unit");

        Instant due = dueAfter(Math.max(0, delay), unit);
        ManualScheduledTask<V> task =
                new ManualScheduledTask<>(this, recordingFailures(callable), original, due, repeat, period);
        lock.lock();
        try {
            rejectIfShutdown();
            task.place(due, SEQUENCE.incrementAndGet());
            queue.add(task);
        } finally {
            lock.unlock();
        }
        return task;
    }

    private Instant dueAfter(long delay, TimeUnit unit) {
        Instant now = clock.instant();
        try {
            return now.plus(Duration.of(delay, unit.toChronoUnit()));
        } catch (ArithmeticException | DateTimeException e) {
            // A delay like Long.MAX_VALUE days means "never"; the latest instant says the same.
            return Instant.MAX;
        }
    }

    private <V> Callable<V> recordingFailures(Callable<V> callable) {
        return () -> {
            try {
                return callable.call();
            } catch (Throwable t) {
                failures.add(t);
                throw t;
            }
        };
    }

    private void rejectIfShutdown() {
        lock.lock();
        try {
            if (shutdown) {
                throw new RejectedExecutionException("ManualScheduler is shut down and takes no new tasks");
            }
        } finally {
            lock.unlock();
        }
    }

    private void checkTerminated() {
        boolean detach = false;
        lock.lock();
        try {
            if (shutdown && !terminated && running == 0 && queue.isEmpty()) {
                terminated = true;
                detach = true;
                terminatedCondition.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (detach) {
            clock.detach(this);
        }
    }
}
