package io.github.tokenrefresh.jdk.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Reaches the {@code close}, {@code shutdown}, {@code shutdownNow}, {@code awaitTermination} and
 * {@code isTerminated} methods that Java 21 added to {@link HttpClient}, while the library is compiled for Java 17.
 * The method handles are looked up once; on a runtime without the methods they are absent and
 * {@link #isSupported()} is false. Thread-safe.
 */
public final class ClientLifecycle {

    private static final MethodHandle CLOSE = find("close", MethodType.methodType(void.class));
    private static final MethodHandle SHUTDOWN = find("shutdown", MethodType.methodType(void.class));
    private static final MethodHandle SHUTDOWN_NOW = find("shutdownNow", MethodType.methodType(void.class));
    private static final MethodHandle AWAIT_TERMINATION =
            find("awaitTermination", MethodType.methodType(boolean.class, Duration.class));
    private static final MethodHandle IS_TERMINATED = find("isTerminated", MethodType.methodType(boolean.class));

    private ClientLifecycle() {
    }

    /**
     * Tells whether this runtime's {@link HttpClient} has the lifecycle methods (Java 21 and later).
     *
     * @return true if the methods exist
     */
    public static boolean isSupported() {
        return CLOSE != null && SHUTDOWN != null && SHUTDOWN_NOW != null && AWAIT_TERMINATION != null
                && IS_TERMINATED != null;
    }

    /**
     * Calls {@code client.close()}.
     *
     * @param client the client
     */
    public static void close(HttpClient client) {
        try {
            CLOSE.invokeExact(client);
        } catch (Throwable t) {
            throw ClientLifecycle.<RuntimeException>rethrow(t);
        }
    }

    /**
     * Calls {@code client.shutdown()}.
     *
     * @param client the client
     */
    public static void shutdown(HttpClient client) {
        try {
            SHUTDOWN.invokeExact(client);
        } catch (Throwable t) {
            throw ClientLifecycle.<RuntimeException>rethrow(t);
        }
    }

    /**
     * Calls {@code client.shutdownNow()}.
     *
     * @param client the client
     */
    public static void shutdownNow(HttpClient client) {
        try {
            SHUTDOWN_NOW.invokeExact(client);
        } catch (Throwable t) {
            throw ClientLifecycle.<RuntimeException>rethrow(t);
        }
    }

    /**
     * Calls {@code client.awaitTermination(duration)}.
     *
     * @param client the client
     * @param duration the longest wait
     * @return what the client returned
     * @throws InterruptedException if interrupted while waiting
     */
    public static boolean awaitTermination(HttpClient client, Duration duration) throws InterruptedException {
        try {
            return (boolean) AWAIT_TERMINATION.invokeExact(client, duration);
        } catch (Throwable t) {
            throw ClientLifecycle.<InterruptedException>rethrow(t);
        }
    }

    /**
     * Calls {@code client.isTerminated()}.
     *
     * @param client the client
     * @return what the client returned
     */
    public static boolean isTerminated(HttpClient client) {
        try {
            return (boolean) IS_TERMINATED.invokeExact(client);
        } catch (Throwable t) {
            throw ClientLifecycle.<RuntimeException>rethrow(t);
        }
    }

    private static MethodHandle find(String name, MethodType type) {
        try {
            return MethodHandles.publicLookup().findVirtual(HttpClient.class, name, type);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    /** Rethrows what the invoked method threw, unchanged: the handles only throw what the methods declare. */
    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X rethrow(Throwable t) throws X {
        throw (X) t;
    }
}
