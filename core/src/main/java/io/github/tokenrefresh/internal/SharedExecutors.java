package io.github.tokenrefresh.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads policies use unless their config names others. Created on first use, never shut down: they
 * are daemons, so they do not keep a JVM alive.
 */
public final class SharedExecutors {

    private SharedExecutors() {
    }

    /**
     * Returns the shared scheduler: one daemon thread that only fires timers and hands real work elsewhere.
     *
     * @return the scheduler
     */
    public static ScheduledExecutorService scheduler() {
        return SchedulerHolder.INSTANCE;
    }

    /**
     * Returns the shared executor for refreshes: cached daemon threads, at most one busy per policy refreshing.
     *
     * @return the executor
     */
    public static ExecutorService refreshExecutor() {
        return RefreshHolder.INSTANCE;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static final class SchedulerHolder {
        static final ScheduledExecutorService INSTANCE = create();

        private static ScheduledExecutorService create() {
            ScheduledThreadPoolExecutor executor =
                    new ScheduledThreadPoolExecutor(1, daemonThreads("tokenrefresh-timer-"));
            // Replaced tokens cancel their timers; without this, cancelled timers would pile up until due.
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    }

    private static final class RefreshHolder {
        static final ExecutorService INSTANCE = Executors.newCachedThreadPool(daemonThreads("tokenrefresh-refresh-"));
    }
}
