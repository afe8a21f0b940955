package io.github.tokenrefresh.store;

import io.github.tokenrefresh.TokenSet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link TokenStore} in this process's memory, the default. Tokens are lost when the process ends.
 *
 * <p>It also grants leases, so policies that share one instance (for example two HTTP stacks of one application,
 * or tests that play a fleet) refresh one at a time. Thread-safe.
 */
public final class InMemoryTokenStore implements TokenStore {

    private final ConcurrentMap<String, TokenSet> tokens = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Lease> leases = new ConcurrentHashMap<>();
    private final Clock clock;

    /**
     * Creates an empty store whose leases lapse by the system clock.
     */
    public InMemoryTokenStore() {
        this(Clock.systemUTC());
    }

    /**
     * Creates an empty store whose leases lapse by {@code clock}.
     *
     * @param clock the clock for lease expiry
     */
    public InMemoryTokenStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    @Override
    public Optional<TokenSet> load(String name) {
        Objects.requireNonNull(name, "name must not be null");
        return Optional.ofNullable(tokens.get(name));
    }

    @Override
    public boolean compareAndSet(String name, long expectedVersion, TokenSet next) {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(next, "next must not be null");
        if (next.version() <= expectedVersion) {
            throw new IllegalArgumentException("the new token set's version " + next.version()
                    + " must be greater than the expected version " + expectedVersion);
        }
        boolean[] stored = new boolean[1];
        tokens.compute(name, (key, current) -> {
            long currentVersion = current == null ? 0 : current.version();
            if (currentVersion != expectedVersion) {
                return current;
            }
            stored[0] = true;
            return next;
        });
        return stored[0];
    }

    @Override
    public Optional<RefreshLease> tryAcquireLease(String name, Duration timeToLive) {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(timeToLive, "timeToLive must not be null");
        Instant now = clock.instant();
        Lease candidate = new Lease(name, now.plus(timeToLive));
        Lease holder = leases.compute(name, (key, current) ->
                current == null || !current.until.isAfter(now) ? candidate : current);
        return holder == candidate ? Optional.of(candidate) : Optional.empty();
    }

    @Override
    public String toString() {
        return "InMemoryTokenStore[names=" + tokens.keySet() + ']';
    }

    private final class Lease implements RefreshLease {

        private final String name;
        private final Instant until;

        Lease(String name, Instant until) {
            this.name = name;
            this.until = until;
        }

        @Override
        public void release() {
            leases.remove(name, this);
        }
    }
}
