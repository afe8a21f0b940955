package io.github.tokenrefresh.benchmarks;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenSet;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * N threads find the token expired at the same moment: how long until every one of them holds the new token, and
 * how many token-endpoint calls that took. The {@code refreshCalls} and {@code expiries} counters give refreshes per
 * expiry; the contract is exactly one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExpiryContentionBenchmark {

    /** How many threads call at the expiry. */
    @Param({"1", "16", "64", "256"})
    public int threads;

    private ExecutorService callers;
    private InstantGrant grant;
    private TokenRefreshPolicy policy;
    private long callsBefore;

    /** Refresh calls and expiries, reported by JMH next to the timing. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counts {
        /** Token-endpoint calls. */
        public long refreshCalls;
        /** Expiries served. */
        public long expiries;
    }

    /** Starts the caller threads and the policy. */
    @Setup(Level.Trial)
    public void startCallers() {
        callers = Executors.newFixedThreadPool(threads);
        grant = new InstantGrant();
        policy = TokenRefreshPolicy.of("contention", TokenRefreshConfig.ofDefaults(), grant);
    }

    /**
     * Puts an expired token in place before each measured expiry. The count is read first: the policy's timer may
     * start the refresh as soon as the expired token is in place, before the callers are released, and that refresh
     * belongs to this expiry.
     */
    @Setup(Level.Invocation)
    public void expire() {
        callsBefore = grant.calls();
        Instant now = Instant.now();
        policy.supplyTokens(TokenSet.builder().accessToken("expired").refreshToken("refresh")
                .issuedAt(now.minus(Duration.ofHours(2))).expiresAt(now.minus(Duration.ofHours(1))).build());
    }

    /** Stops the threads and the policy. */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        callers.shutdownNow();
        callers.awaitTermination(10, TimeUnit.SECONDS);
        policy.close();
    }

    /**
     * Releases all threads at once against the expired token and waits until each holds a fresh one.
     *
     * @param counts the refresh and expiry counters
     * @return the last token served
     * @throws Exception if a caller failed
     */
    @Benchmark
    public AccessToken serveAllCallersAcrossAnExpiry(Counts counts) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<AccessToken>> served = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            served.add(callers.submit(() -> {
                start.await();
                return policy.acquireToken();
            }));
        }
        start.countDown();
        AccessToken last = null;
        for (Future<AccessToken> token : served) {
            last = token.get();
        }
        counts.refreshCalls += grant.calls() - callsBefore;
        counts.expiries++;
        return last;
    }
}
