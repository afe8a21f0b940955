package io.github.tokenrefresh.benchmarks;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.AuthorizedCall;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The cost of the policy on a call while the token is fresh, against the same call made with a token held in a
 * field. The call itself only reads the {@code Authorization} header value, so the difference is the policy's
 * whole overhead. Run with {@code -prof gc} to see that the decorated paths allocate nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class HotPathBenchmark {

    private TokenRefreshPolicy policy;
    private AccessToken heldToken;
    private Function<AccessToken, String> request;
    private Supplier<String> decorated;
    private AuthorizedCall<String, RuntimeException> authorizedCall;

    /** Builds a policy holding a fresh one-hour token. */
    @Setup
    public void setUp() {
        policy = TokenRefreshPolicy.of("benchmark", TokenRefreshConfig.ofDefaults(), new InstantGrant());
        heldToken = policy.acquireToken();
        request = AccessToken::authorizationHeader;
        decorated = policy.decorateSupplier(request);
        authorizedCall = new AuthorizedCall<>() {
            @Override
            public String send(AccessToken token, int replay) {
                return token.authorizationHeader();
            }

            @Override
            public boolean isTokenRejected(String response) {
                return false;
            }
        };
    }

    /** Stops the policy's timers. */
    @TearDown
    public void tearDown() {
        policy.close();
    }

    /** The undecorated call: the token comes from a field. */
    @Benchmark
    public String undecoratedCall() {
        return request.apply(heldToken);
    }

    /** The same call through {@link TokenRefreshPolicy#decorateSupplier}. */
    @Benchmark
    public String decoratedSupplier() {
        return decorated.get();
    }

    /** The same call as an HTTP adapter makes it, through {@link TokenRefreshPolicy#execute}. */
    @Benchmark
    public String executeAuthorizedCall() {
        return policy.execute(authorizedCall);
    }

    /** Only getting the token. */
    @Benchmark
    public AccessToken acquireToken() {
        return policy.acquireToken();
    }
}
