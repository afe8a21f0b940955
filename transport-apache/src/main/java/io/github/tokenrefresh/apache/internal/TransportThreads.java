package io.github.tokenrefresh.apache.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads the token endpoint transports share: one that enforces deadlines, and a pool that runs
 * blocking classic exchanges off the caller's thread. Both start on first use.
 */
public final class TransportThreads {

    private TransportThreads() {
    }

    /**
     * Returns the scheduler that fires token request deadlines. Its tasks only complete futures and cancel
     * requests, so one thread serves every transport.
     *
     * @return the shared scheduler
     */
    public static ScheduledExecutorService deadlines() {
        return Deadlines.INSTANCE;
    }

    /**
     * Returns the pool that runs classic token exchanges. Threads are
     * made as needed and die after a minute idle; a policy runs at most one refresh at a time, so there are rarely
     * more than a few.
     *
     * @return the shared executor
     */
    public static Executor exchanges() {
        return Exchanges.INSTANCE;
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static final class Deadlines {
        static final ScheduledExecutorService INSTANCE = create();

        private static ScheduledExecutorService create() {
            ScheduledThreadPoolExecutor scheduler =
                    new ScheduledThreadPoolExecutor(1, daemons("tokenrefresh-apache-deadline-"));
            // Most deadlines are cancelled early, when the answer arrives; drop them rather than keep them queued.
            scheduler.setRemoveOnCancelPolicy(true);
            return scheduler;
        }
    }

    private static final class Exchanges {
        static final ExecutorService INSTANCE = Executors.newCachedThreadPool(
                daemons("tokenrefresh-apache-token-endpoint-"));
    }
}
