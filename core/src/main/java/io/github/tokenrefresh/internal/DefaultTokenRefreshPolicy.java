package io.github.tokenrefresh.internal;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.AsyncAuthorizedCall;
import io.github.tokenrefresh.AuthorizedCall;
import io.github.tokenrefresh.GrantRequest;
import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.RefreshLoopException;
import io.github.tokenrefresh.RefreshTrigger;
import io.github.tokenrefresh.ReplayRefusal;
import io.github.tokenrefresh.ReplayRefusedException;
import io.github.tokenrefresh.TokenEndpointProtocolException;
import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenGrant;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshException;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenRejectedException;
import io.github.tokenrefresh.TokenResponse;
import io.github.tokenrefresh.TokenSet;
import io.github.tokenrefresh.event.EventPublisher;
import io.github.tokenrefresh.event.LoopGuardTrippedEvent;
import io.github.tokenrefresh.event.RefreshCoalescedEvent;
import io.github.tokenrefresh.event.RefreshFailedEvent;
import io.github.tokenrefresh.event.RefreshOutcome;
import io.github.tokenrefresh.event.RefreshRejectedEvent;
import io.github.tokenrefresh.event.RefreshSucceededEvent;
import io.github.tokenrefresh.event.ReplayRefusedEvent;
import io.github.tokenrefresh.event.ReplayedEvent;
import io.github.tokenrefresh.store.RefreshLease;
import io.github.tokenrefresh.store.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The policy behind {@link TokenRefreshPolicy#of}. The design in brief:
 *
 * <ul>
 *   <li>All a call reads is one volatile {@link Snapshot}. Every state change (new tokens, expiry, backoff,
 *       re-authentication required, closed) publishes a new snapshot under {@link #lock}; the lock is never taken
 *       on the fresh path and never held across I/O.</li>
 *   <li>At most one {@link Flight} runs at a time, held in {@link #inFlight}. It is keyed by the version it
 *       replaces: whoever needs a refresh of that version joins it, whoever holds an older version gets the newer
 *       token at once. A flight publishes its snapshot before it clears {@link #inFlight}, so a caller that finds
 *       no flight and an unchanged version knows a refresh is really needed.</li>
 *   <li>Stale and expiry moments are fired by timers on the configured scheduler, so the fresh path needs no
 *       clock. Paths that already wait read the clock to double-check.</li>
 * </ul>
 */
public final class DefaultTokenRefreshPolicy implements TokenRefreshPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(TokenRefreshPolicy.class);

    /** How often a policy denied the store's lease looks again whether the holder has stored new tokens. */
    private static final Duration LEASE_POLL_INTERVAL = Duration.ofMillis(100);

    /** Slack on a blocked caller's own wait, so the policy's refresh timeout, with its clearer message, fires first. */
    private static final long WAIT_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The longest delay a scheduler can be given in nanoseconds. */
    private static final Duration LONGEST_DELAY = Duration.ofNanos(Long.MAX_VALUE);

    private final String name;
    private final TokenRefreshConfig config;
    private final TokenGrant grant;
    private final TokenStore store;
    private final Clock clock;
    private final EventProcessor events;
    private final PolicyMetrics metrics;
    private final LoopGuard loopGuard;
    private final AtomicReference<Flight> inFlight = new AtomicReference<>();
    private final Object lock = new Object();

    private volatile Snapshot snapshot;

    // Guarded by lock.
    private ScheduledFuture<?> staleTimer;
    private ScheduledFuture<?> expiryTimer;
    private ScheduledFuture<?> retryTimer;

    /**
     * Creates the policy and loads what the store holds under {@code name}.
     *
     * @param name the policy name
     * @param config the configuration
     * @param grant how new tokens are obtained
     * @param store where tokens are kept
     */
    public DefaultTokenRefreshPolicy(String name, TokenRefreshConfig config, TokenGrant grant, TokenStore store) {
        Objects.requireNonNull(name, "name must not be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        this.name = name;
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.grant = Objects.requireNonNull(grant, "grant must not be null");
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.clock = config.getClock();
        this.events = new EventProcessor(name);
        this.metrics = new PolicyMetrics(this);
        this.loopGuard = new LoopGuard(config.getLoopGuardMaxRefreshes(), config.getLoopGuardWindow());
        this.snapshot = Snapshot.noToken(0);

        store.load(name).ifPresent(this::install);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public TokenRefreshConfig getConfig() {
        return config;
    }

    @Override
    public EventPublisher getEventPublisher() {
        return events;
    }

    @Override
    public Metrics getMetrics() {
        return metrics;
    }

    @Override
    public State getState() {
        Snapshot s = snapshot;
        switch (s.mode) {
            case NO_TOKEN:
                return State.NO_TOKEN;
            case REAUTHENTICATION_REQUIRED:
                return State.REAUTHENTICATION_REQUIRED;
            case CLOSED:
                return State.CLOSED;
            default:
                Instant now = clock.instant();
                if (!s.servable || (s.expiredAt != null && !now.isBefore(s.expiredAt))) {
                    return State.EXPIRED;
                }
                return s.staleAt != null && !now.isBefore(s.staleAt) ? State.STALE : State.FRESH;
        }
    }

    @Override
    public Optional<TokenSet> currentTokens() {
        return Optional.ofNullable(snapshot.tokens);
    }

    Snapshot snapshot() {
        return snapshot;
    }

    Clock clock() {
        return clock;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Getting a token

    @Override
    public AccessToken acquireToken() {
        Snapshot s = snapshot;
        if (s.servable) {
            return s.token;
        }
        return await(obtain(s));
    }

    @Override
    public CompletableFuture<AccessToken> acquireTokenAsync() {
        Snapshot s = snapshot;
        if (s.servable) {
            return CompletableFuture.completedFuture(s.token);
        }
        return obtain(s).copy();
    }

    @Override
    public AccessToken refreshAfterRejection(AccessToken rejected) {
        return await(obtainAfterRejection(rejected));
    }

    @Override
    public CompletableFuture<AccessToken> refreshAfterRejectionAsync(AccessToken rejected) {
        return obtainAfterRejection(rejected).copy();
    }

    /** A token for a caller that found the snapshot not servable. The result may be shared: copy before exposing. */
    private CompletableFuture<AccessToken> obtain(Snapshot s) {
        if (!s.isLive()) {
            return CompletableFuture.failedFuture(terminalFailure(s));
        }
        Instant now = clock.instant();
        if (s.mode == Snapshot.Mode.ACTIVE && (s.expiredAt == null || now.isBefore(s.expiredAt))) {
            // Only a snapshot published just before its expiry timer was rescheduled can get here.
            return s.completedToken;
        }
        TokenRefreshException backingOff = backoffFailure(s, now);
        if (backingOff != null) {
            return CompletableFuture.failedFuture(backingOff);
        }
        RefreshTrigger trigger = s.mode == Snapshot.Mode.NO_TOKEN ? RefreshTrigger.INITIAL : RefreshTrigger.PROACTIVE;
        return startOrJoin(trigger, s.version, true);
    }

    private CompletableFuture<AccessToken> obtainAfterRejection(AccessToken rejected) {
        Objects.requireNonNull(rejected, "rejected token must not be null");
        Snapshot s = snapshot;
        if (!s.isLive()) {
            return CompletableFuture.failedFuture(terminalFailure(s));
        }
        if (s.version > rejected.version()) {
            // Somebody already replaced the rejected token: replay with the newer one, no refresh.
            return s.servable ? s.completedToken : obtain(s);
        }
        TokenRefreshException backingOff = backoffFailure(s, clock.instant());
        if (backingOff != null) {
            return CompletableFuture.failedFuture(backingOff);
        }
        return startOrJoin(RefreshTrigger.REACTIVE, s.version, true);
    }

    /** What a caller gets for a snapshot that changed under it. */
    private CompletableFuture<AccessToken> resolve(Snapshot s) {
        return s.servable ? s.completedToken : obtain(s);
    }

    /**
     * Joins the refresh in flight, or starts one replacing {@code baseVersion}.
     *
     * @param caller true for a caller that will wait (and so counts as coalesced when it joins, and fails fast
     *               during a backoff), false for a timer, which decides on the backoff itself
     */
    private CompletableFuture<AccessToken> startOrJoin(RefreshTrigger trigger, long baseVersion, boolean caller) {
        for (;;) {
            Flight running = inFlight.get();
            if (running != null) {
                if (running.baseVersion < baseVersion) {
                    if (!running.result.isDone()) {
                        // Tokens were supplied while an older refresh ran; let it settle, then decide again.
                        return running.result.handle((token, failure) -> null)
                                .thenCompose(ignored -> startOrJoin(trigger, baseVersion, caller));
                    }
                    if (inFlight.get() != running) {
                        continue;
                    }
                    // Its waiters timed out while its exchange goes on: fail like them rather than start a second.
                    return running.result;
                }
                if (caller) {
                    coalesced(running);
                }
                return running.result;
            }
            Snapshot s = snapshot;
            if (s.version != baseVersion || !s.isLive()) {
                return resolve(s);
            }
            TokenRefreshException backingOff = caller ? backoffFailure(s) : null;
            if (backingOff != null) {
                // A refresh failed since this caller looked: the endpoint is not asked again before the backoff.
                return CompletableFuture.failedFuture(backingOff);
            }
            Flight flight = new Flight(trigger, baseVersion, s.tokens);
            if (!inFlight.compareAndSet(null, flight)) {
                continue;
            }
            Snapshot now = snapshot;
            if (now.version != baseVersion || !now.isLive()) {
                // A refresh finished between our read and our claim; hand its result to anyone who joined us.
                inFlight.compareAndSet(flight, null);
                resolve(now).whenComplete((token, failure) -> settle(flight, token, failure));
                return flight.result;
            }
            backingOff = caller ? backoffFailure(now) : null;
            if (backingOff != null) {
                // A refresh started and failed between our read and our claim.
                inFlight.compareAndSet(flight, null);
                flight.result.completeExceptionally(backingOff);
                return flight.result;
            }
            launch(flight);
            return flight.result;
        }
    }

    private void coalesced(Flight flight) {
        metrics.coalesced.increment();
        if (events.hasConsumers()) {
            events.publish(new RefreshCoalescedEvent(name, flight.trigger, clock.instant()));
        }
    }

    private AccessToken await(CompletableFuture<AccessToken> future) {
        try {
            long timeout = config.getRefreshTimeout().toNanos() + WAIT_SLACK_NANOS;
            return future.get(timeout, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw rethrowable(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TokenEndpointUnavailableException("Policy '" + name + "' gave up waiting for a token after "
                    + config.getRefreshTimeout() + "; the refresh goes on and later calls may succeed", 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenEndpointUnavailableException(
                    "Policy '" + name + "': interrupted while waiting for a token", 0, null, e);
        }
    }

    private static RuntimeException rethrowable(Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        if (cause instanceof RuntimeException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        return new TokenEndpointUnavailableException("token refresh failed: " + cause, 0, null, cause);
    }

    private RuntimeException terminalFailure(Snapshot s) {
        if (s.mode == Snapshot.Mode.CLOSED) {
            return new IllegalStateException("Policy '" + name + "' is closed");
        }
        String error = s.failure instanceof ReauthenticationRequiredException
                ? ((ReauthenticationRequiredException) s.failure).error().orElse(null)
                : null;
        return new ReauthenticationRequiredException("Policy '" + name + "' requires re-authentication: "
                + (s.failure == null ? "the grant was refused" : s.failure.getMessage())
                + ". Obtain new tokens and call supplyTokens(...)", error, s.failure);
    }

    private TokenRefreshException backoffFailure(Snapshot s) {
        return s.backoffUntil == null ? null : backoffFailure(s, clock.instant());
    }

    private TokenRefreshException backoffFailure(Snapshot s, Instant now) {
        if (s.backoffUntil == null || !now.isBefore(s.backoffUntil)) {
            return null;
        }
        Duration remaining = Duration.between(now, s.backoffUntil);
        int status = s.failure instanceof TokenEndpointUnavailableException
                ? ((TokenEndpointUnavailableException) s.failure).status()
                : 0;
        return new TokenEndpointUnavailableException("Policy '" + name + "' has no valid token and is backing off "
                + "after a failed refresh (" + (s.failure == null ? "unknown failure" : s.failure.getMessage())
                + "); it asks the token endpoint again in " + remaining.toMillis() + " ms", status, remaining,
                s.failure);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Running a refresh

    private void launch(Flight flight) {
        if (flight.trigger == RefreshTrigger.REACTIVE && !admittedByLoopGuard(flight)) {
            return;
        }
        flight.startNanos = System.nanoTime();
        try {
            flight.waitTimeout = schedule(() -> timeOutWaiters(flight), config.getRefreshTimeout());
            flight.abandonTimer = schedule(() -> abandon(flight), abandonAfter());
            config.getExecutor().execute(() -> attempt(flight));
        } catch (RuntimeException e) {
            exchangeEnded(flight, null, e);
        }
    }

    private boolean admittedByLoopGuard(Flight flight) {
        LoopGuard.Verdict verdict = loopGuard.tryRecord(clock.instant());
        if (verdict == LoopGuard.Verdict.ALLOWED) {
            return true;
        }
        int refreshes = loopGuard.count();
        Duration window = config.getLoopGuardWindow();
        if (verdict == LoopGuard.Verdict.TRIPPED_NOW) {
            metrics.loopGuardTrips.increment();
            LOG.warn("Policy '{}' tripped its loop guard: {} refreshes on rejection within {}; refusing more until "
                    + "the window has passed", name, refreshes, window);
            if (events.hasConsumers()) {
                events.publish(new LoopGuardTrippedEvent(name, clock.instant(), refreshes, window));
            }
        }
        RefreshLoopException failure = new RefreshLoopException("Policy '" + name + "': tokens were rejected and "
                + "refreshed " + refreshes + " times within " + window + "; refreshing again will not help. Check "
                + "the token's audience and scopes and the resource server's clock", refreshes, window);
        inFlight.compareAndSet(flight, null);
        flight.result.completeExceptionally(failure);
        return false;
    }

    private Duration abandonAfter() {
        Duration timeout = config.getRefreshTimeout();
        return timeout.multipliedBy(3).plusSeconds(30);
    }

    /** One try at the exchange: adopt what another process stored, or take the lease and run the grant. */
    private void attempt(Flight flight) {
        if (flight.failureRecorded.get()) {
            return;
        }
        try {
            if (adoptedStored(flight)) {
                return;
            }
            Optional<RefreshLease> lease = store.tryAcquireLease(name, config.getRefreshTimeout());
            if (lease.isEmpty()) {
                if (schedule(() -> config.getExecutor().execute(() -> attempt(flight)), LEASE_POLL_INTERVAL) == null) {
                    failed(flight, new TokenEndpointUnavailableException("Policy '" + name + "': another holder has "
                            + "the store's refresh lease and the scheduler refused the timer to wait for it", 0,
                            null, null));
                }
                return;
            }
            flight.lease = lease.get();

            // The previous holder may have stored its tokens after we looked and before we got the lease; the
            // refresh token we hold is then spent and must not be presented again.
            if (adoptedStored(flight)) {
                return;
            }
            flight.sentAt = clock.instant();
            GrantRequest request = new GrantRequest(name, flight.current, flight.trigger, config.getRefreshTimeout());
            CompletionStage<TokenResponse> answer = Objects.requireNonNull(grant.requestTokens(request),
                    "the grant returned a null stage");
            // The answer's follow-up (parsing, the store write, events, releasing waiters) must not run on the
            // thread that completed the answer, which may be an HTTP client's I/O thread.
            answer.whenComplete((response, failure) -> afterExchange(flight, response, failure));
        } catch (RuntimeException | Error e) {
            exchangeEnded(flight, null, e);
        }
    }

    /** Completes the flight with what the store holds if another writer stored a newer version. */
    private boolean adoptedStored(Flight flight) {
        Optional<TokenSet> stored = store.load(name);
        if (stored.isEmpty() || stored.get().version() <= flight.baseVersion) {
            return false;
        }
        LOG.debug("Policy '{}' adopts version {} written to its store by another writer", name, stored.get().version());
        succeeded(flight, stored.get(), false, false);
        return true;
    }

    private void afterExchange(Flight flight, TokenResponse response, Throwable failure) {
        try {
            config.getExecutor().execute(() -> exchangeEnded(flight, response, failure));
        } catch (RejectedExecutionException e) {
            exchangeEnded(flight, response, failure);
        }
    }

    private void exchangeEnded(Flight flight, TokenResponse response, Throwable failure) {
        flight.exchangeEnded.set(true);
        if (failure == null && response == null) {
            failure = new TokenEndpointProtocolException("the grant completed without a token response", 0, null);
        }
        if (failure == null) {
            try {
                TokenSet next = nextTokens(flight, response);
                succeeded(flight, next, true, response.refreshToken().isPresent());
            } catch (RuntimeException e) {
                failed(flight, e);
            }
        } else {
            failed(flight, failure);
        }
    }

    private TokenSet nextTokens(Flight flight, TokenResponse response) {
        Instant sentAt = flight.sentAt;
        TokenSet.Builder next = TokenSet.builder()
                .accessToken(response.accessToken())
                .issuedAt(sentAt)
                .expiresAt(response.expiresIn().map(lifetime -> expiry(sentAt, lifetime)).orElse(null))
                .version(flight.baseVersion + 1);

        // RFC 6749 §6: a response without a refresh token leaves the current one in force.
        if (response.refreshToken().isPresent()) {
            next.refreshToken(response.refreshToken().get());
        } else if (flight.current != null) {
            next.refreshToken(flight.current.refreshToken().orElse(null));
        }
        if (!response.scopes().isEmpty()) {
            next.scopes(response.scopes());
        } else if (flight.current != null) {
            next.scopes(flight.current.scopes());
        }
        return next.build();
    }

    /** {@code sentAt + lifetime}, or the end of time for a lifetime that reaches past it. */
    private static Instant expiry(Instant sentAt, Duration lifetime) {
        return lifetime.compareTo(Duration.between(sentAt, Instant.MAX)) >= 0 ? Instant.MAX : sentAt.plus(lifetime);
    }

    /**
     * Stores {@code next} (when it came from the endpoint), publishes it, then releases the waiters: in that order,
     * so a rotated refresh token is safe before anybody can use the new access token.
     */
    private void succeeded(Flight flight, TokenSet next, boolean fromEndpoint, boolean rotated) {
        TokenSet winner = next;
        if (fromEndpoint && !store.compareAndSet(name, flight.baseVersion, next)) {
            Optional<TokenSet> stored = store.load(name);
            if (stored.isEmpty() || stored.get().version() <= flight.baseVersion) {
                failed(flight, new TokenEndpointUnavailableException("Policy '" + name + "': the token store "
                        + "refused version " + next.version() + " but holds nothing newer", 0, null, null));
                return;
            }
            LOG.debug("Policy '{}' lost the store race to version {}; using it", name, stored.get().version());
            winner = stored.get();
        }
        install(winner);
        releaseLease(flight);
        flight.cancelTimers();

        if (fromEndpoint) {
            // Published before the waiters are released, so a caller that waited for this refresh sees its event.
            Duration duration = Duration.ofNanos(System.nanoTime() - flight.startNanos);
            LOG.debug("Policy '{}' refreshed its token ({}) in {} ms: version {}, expires at {}", name,
                    flight.trigger.tagValue(), duration.toMillis(), winner.version(),
                    winner.expiresAt().orElse(null));
            if (events.hasConsumers()) {
                events.publish(new RefreshSucceededEvent(name, flight.trigger, clock.instant(), duration,
                        winner.version(), winner.expiresAt().orElse(null), rotated));
            }
        }

        Snapshot s = snapshot;
        AccessToken token = s.token != null && s.version >= winner.version() ? s.token : winner.accessToken();
        inFlight.compareAndSet(flight, null);
        flight.result.complete(token);
    }

    private void failed(Flight flight, Throwable cause) {
        if (!flight.failureRecorded.compareAndSet(false, true)) {
            return;
        }
        TokenRefreshException failure = Failures.classify(cause, name);
        Duration duration = Duration.ofNanos(System.nanoTime() - flight.startNanos);
        releaseLease(flight);
        flight.cancelTimers();

        if (failure instanceof ReauthenticationRequiredException) {
            requireReauthentication(flight, (ReauthenticationRequiredException) failure, duration);
        } else {
            backOff(flight, failure, duration);
        }
        inFlight.compareAndSet(flight, null);
        flight.result.completeExceptionally(failure);
    }

    /** Gives the lease back. A store that fails to must not leave the flight unfinished: the lease lapses anyway. */
    private void releaseLease(Flight flight) {
        try {
            flight.releaseLease();
        } catch (RuntimeException e) {
            LOG.warn("Policy '{}': the token store failed to release the refresh lease; it lapses after {}", name,
                    config.getRefreshTimeout(), e);
        }
    }

    private void requireReauthentication(Flight flight, ReauthenticationRequiredException failure,
            Duration duration) {
        synchronized (lock) {
            Snapshot s = snapshot;
            if (s.version == flight.baseVersion && s.isLive()) {
                cancelTimers();
                snapshot = s.reauthenticationRequired(failure);
            }
        }
        LOG.warn("Policy '{}' requires re-authentication: {}", name, failure.getMessage());
        if (events.hasConsumers()) {
            events.publish(new RefreshRejectedEvent(name, flight.trigger, clock.instant(), duration, failure));
        }
    }

    private void backOff(Flight flight, TokenRefreshException failure, Duration duration) {
        Duration delay = Duration.ZERO;
        synchronized (lock) {
            Snapshot s = snapshot;
            if (s.version == flight.baseVersion && s.isLive()) {
                delay = backoffDelay(failure, s.failures + 1);
                snapshot = s.backingOff(clock.instant().plus(delay), failure);
                cancel(retryTimer);
                long version = s.version;
                retryTimer = s.mode == Snapshot.Mode.ACTIVE ? schedule(() -> backoffOver(version), delay) : null;
            }
        }
        LOG.warn("Policy '{}' could not refresh its token ({}); next try in {} ms: {}", name,
                flight.trigger.tagValue(), delay.toMillis(), failure.getMessage());
        if (events.hasConsumers()) {
            RefreshOutcome outcome = failure instanceof TokenEndpointProtocolException
                    ? RefreshOutcome.PROTOCOL_ERROR
                    : RefreshOutcome.TRANSIENT_FAILURE;
            events.publish(new RefreshFailedEvent(name, flight.trigger, clock.instant(), duration, outcome,
                    failure, delay));
        }
    }

    private Duration backoffDelay(TokenRefreshException failure, int failures) {
        if (failure instanceof TokenEndpointUnavailableException) {
            Optional<Duration> retryAfter = ((TokenEndpointUnavailableException) failure).retryAfter();
            if (retryAfter.isPresent()) {
                return retryAfter.get();
            }
        }
        double grown = config.getInitialBackoff().toMillis() * Math.pow(config.getBackoffMultiplier(), failures - 1);
        long ceiling = (long) Math.min(grown, config.getMaxBackoff().toMillis());
        // Half fixed, half random: failures across a fleet spread out, yet each waits a predictable minimum.
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    private void timeOutWaiters(Flight flight) {
        if (flight.result.isDone()) {
            return;
        }
        LOG.warn("Policy '{}': the token endpoint has not answered within {}; waiting callers fail, the exchange "
                + "goes on", name, config.getRefreshTimeout());
        flight.result.completeExceptionally(new TokenEndpointUnavailableException("Policy '" + name + "': the "
                + "token endpoint did not answer within " + config.getRefreshTimeout(), 0, null, null));
    }

    private void abandon(Flight flight) {
        if (flight.exchangeEnded.get()) {
            return;
        }
        LOG.warn("Policy '{}': the grant has not completed within {}; giving up on it. A late answer is still "
                + "stored if nothing newer has been", name, abandonAfter());
        failed(flight, new TokenEndpointUnavailableException("Policy '" + name + "': the grant never completed",
                0, null, null));
    }

    private static void settle(Flight flight, AccessToken token, Throwable failure) {
        if (failure == null) {
            flight.result.complete(token);
        } else {
            flight.result.completeExceptionally(Failures.unwrap(failure));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Snapshots and timers

    private void install(TokenSet tokens) {
        synchronized (lock) {
            Snapshot s = snapshot;
            if (s.mode == Snapshot.Mode.CLOSED || (s.tokens != null && s.version >= tokens.version())) {
                return;
            }
            Instant now = clock.instant();
            Timeline timeline = Timeline.of(tokens, now, config, ThreadLocalRandom.current().nextDouble());
            boolean servable = timeline.expiredAt == null || now.isBefore(timeline.expiredAt);
            cancelTimers();
            snapshot = Snapshot.active(tokens, timeline.staleAt, timeline.expiredAt, servable);

            long version = tokens.version();
            if (timeline.staleAt != null) {
                staleTimer = schedule(() -> staleReached(version), Duration.between(now, timeline.staleAt));
            }
            if (servable && timeline.expiredAt != null) {
                expiryTimer = schedule(() -> expiryReached(version), Duration.between(now, timeline.expiredAt));
            }
        }
    }

    private void staleReached(long version) {
        Snapshot s = snapshot;
        if (s.mode != Snapshot.Mode.ACTIVE || s.version != version) {
            return;
        }
        if (s.backoffUntil != null && clock.instant().isBefore(s.backoffUntil)) {
            return;
        }
        startOrJoin(RefreshTrigger.PROACTIVE, version, false);
    }

    private void expiryReached(long version) {
        synchronized (lock) {
            Snapshot s = snapshot;
            if (s.mode != Snapshot.Mode.ACTIVE || s.version != version || !s.servable) {
                return;
            }
            Instant now = clock.instant();
            if (s.expiredAt != null && now.isBefore(s.expiredAt)) {
                expiryTimer = schedule(() -> expiryReached(version), Duration.between(now, s.expiredAt));
                return;
            }
            snapshot = s.expired();
        }
    }

    private void backoffOver(long version) {
        Snapshot s = snapshot;
        if (s.mode == Snapshot.Mode.ACTIVE && s.version == version) {
            startOrJoin(RefreshTrigger.PROACTIVE, version, false);
        }
    }

    /**
     * Schedules a timer. A scheduler that refuses it (shut down, saturated) costs the timer, never the state change
     * that asked for it: the caller gets null and the reactive path and callers' own waits cover the missed moment.
     */
    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        // Beyond about 292 years the delay does not fit in nanoseconds; such a moment is as good as never.
        long nanos = delay.isNegative() ? 0 : delay.compareTo(LONGEST_DELAY) > 0 ? Long.MAX_VALUE : delay.toNanos();
        try {
            return config.getScheduler().schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("Policy '{}': a timer task failed", name, e);
                }
            }, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warn("Policy '{}': the scheduler refused a timer ({}); stale, expiry, backoff and timeout moments "
                    + "are missed until it accepts timers again", name, e.getMessage());
            return null;
        }
    }

    private void cancelTimers() {
        cancel(staleTimer);
        cancel(expiryTimer);
        cancel(retryTimer);
        staleTimer = null;
        expiryTimer = null;
        retryTimer = null;
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    public void supplyTokens(TokenSet tokens) {
        Objects.requireNonNull(tokens, "tokens must not be null");
        if (snapshot.mode == Snapshot.Mode.CLOSED) {
            throw new IllegalStateException("Policy '" + name + "' is closed");
        }
        for (;;) {
            long stored = store.load(name).map(TokenSet::version).orElse(0L);
            TokenSet next = tokens.withVersion(Math.max(stored, snapshot.version) + 1);
            if (store.compareAndSet(name, stored, next)) {
                install(next);
                LOG.debug("Policy '{}' received new tokens from the application: version {}", name, next.version());
                return;
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            cancelTimers();
            snapshot = snapshot.closed();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Calls

    @Override
    public <R, X extends Exception> R execute(AuthorizedCall<R, X> call) throws X {
        Objects.requireNonNull(call, "call must not be null");
        Snapshot s = snapshot;
        AccessToken token;
        boolean refreshed = false;
        boolean counted = false;
        try {
            if (s.servable) {
                token = s.token;
            } else {
                token = await(obtain(s));
                refreshed = true;
            }
            for (int replay = 0; ; replay++) {
                R response;
                try {
                    response = call.send(token, replay);
                } catch (TokenRejectedException rejection) {
                    ReplayRefusal refusal = refusal(call.isReplayable(), replay);
                    if (refusal != null) {
                        counted = true;
                        refused(refusal);
                        throw new ReplayRefusedException("Policy '" + name + "': the token was rejected and the "
                                + "call was not replayed (" + refusal + ")", refusal, rejection);
                    }
                    token = replayToken(token, replay);
                    refreshed = true;
                    continue;
                }
                if (!call.isTokenRejected(response)) {
                    counted = true;
                    (refreshed ? metrics.successAfterRefresh : metrics.successWithoutRefresh).increment();
                    return response;
                }
                ReplayRefusal refusal = refusal(call.isReplayable(), replay);
                if (refusal != null) {
                    counted = true;
                    refused(refusal);
                    return response;
                }
                try {
                    token = replayToken(token, replay);
                } finally {
                    call.discard(response);
                }
                refreshed = true;
            }
        } finally {
            if (!counted) {
                metrics.failed.increment();
            }
        }
    }

    private AccessToken replayToken(AccessToken rejected, int replay) {
        AccessToken next = await(obtainAfterRejection(rejected));
        replayed(replay + 1);
        return next;
    }

    private ReplayRefusal refusal(boolean replayable, int replay) {
        if (!replayable) {
            return ReplayRefusal.NOT_REPLAYABLE;
        }
        return replay >= config.getMaxReplays() ? ReplayRefusal.REPLAY_LIMIT_REACHED : null;
    }

    private void refused(ReplayRefusal refusal) {
        metrics.replayRefused.increment();
        LOG.debug("Policy '{}': a rejected call was not replayed ({})", name, refusal);
        if (events.hasConsumers()) {
            events.publish(new ReplayRefusedEvent(name, clock.instant(), refusal));
        }
    }

    private void replayed(int replay) {
        metrics.replays.increment();
        if (events.hasConsumers()) {
            events.publish(new ReplayedEvent(name, clock.instant(), replay));
        }
    }

    @Override
    public <R> CompletableFuture<R> executeAsync(AsyncAuthorizedCall<R> call) {
        Objects.requireNonNull(call, "call must not be null");
        AsyncExecution<R> execution = new AsyncExecution<>(call);
        Snapshot s = snapshot;
        if (s.servable) {
            execution.send(s.token, 0, false);
        } else {
            obtain(s).whenComplete((token, failure) -> {
                if (failure != null) {
                    execution.fail(failure);
                } else {
                    execution.send(token, 0, true);
                }
            });
        }
        return execution.out;
    }

    /** The state of one asynchronous call: its caller-facing future and the send in progress. */
    private final class AsyncExecution<R> {

        final AsyncAuthorizedCall<R> call;
        final CompletableFuture<R> out = new CompletableFuture<>();
        volatile CompletableFuture<R> sending;

        AsyncExecution(AsyncAuthorizedCall<R> call) {
            this.call = call;
            out.whenComplete((response, failure) -> {
                CompletableFuture<R> current = sending;
                if (out.isCancelled() && current != null) {
                    current.cancel(true);
                }
            });
        }

        void send(AccessToken token, int replay, boolean refreshed) {
            if (out.isDone()) {
                // Cancelled while it waited for a token: it ends here, as a failed call, without being sent.
                metrics.failed.increment();
                return;
            }
            CompletableFuture<R> attempt;
            try {
                attempt = Objects.requireNonNull(call.send(token, replay), "send returned a null stage")
                        .toCompletableFuture();
            } catch (RuntimeException | Error e) {
                attempt = CompletableFuture.failedFuture(e);
            }
            sending = attempt;
            if (out.isCancelled()) {
                attempt.cancel(true);
            }
            attempt.whenComplete((response, failure) -> {
                // The adapter's callbacks run in here; whatever they throw must end the call, not vanish.
                try {
                    if (failure != null) {
                        handleFailure(token, replay, Failures.unwrap(failure));
                    } else if (!call.isTokenRejected(response)) {
                        (refreshed ? metrics.successAfterRefresh : metrics.successWithoutRefresh).increment();
                        deliver(response);
                    } else {
                        handleRejectedResponse(token, replay, response);
                    }
                } catch (RuntimeException | Error e) {
                    fail(e);
                }
            });
        }

        /** Hands the response to the caller, or releases it when the caller cancelled and will never read it. */
        private void deliver(R response) {
            if (!out.complete(response)) {
                call.discard(response);
            }
        }

        private void handleFailure(AccessToken token, int replay, Throwable failure) {
            if (!(failure instanceof TokenRejectedException)) {
                fail(failure);
                return;
            }
            ReplayRefusal refusal = refusal(call.isReplayable(), replay);
            if (refusal != null) {
                refused(refusal);
                out.completeExceptionally(new ReplayRefusedException("Policy '" + name + "': the token was "
                        + "rejected and the call was not replayed (" + refusal + ")", refusal, failure));
                return;
            }
            replay(token, replay, null);
        }

        private void handleRejectedResponse(AccessToken token, int replay, R response) {
            ReplayRefusal refusal = refusal(call.isReplayable(), replay);
            if (refusal != null) {
                refused(refusal);
                deliver(response);
                return;
            }
            replay(token, replay, response);
        }

        private void replay(AccessToken rejected, int replay, R rejectedResponse) {
            obtainAfterRejection(rejected).whenComplete((next, failure) -> {
                try {
                    if (rejectedResponse != null) {
                        call.discard(rejectedResponse);
                    }
                } catch (RuntimeException | Error e) {
                    fail(e);
                    return;
                }
                if (failure != null) {
                    fail(failure);
                    return;
                }
                replayed(replay + 1);
                send(next, replay + 1, true);
            });
        }

        void fail(Throwable failure) {
            metrics.failed.increment();
            out.completeExceptionally(Failures.unwrap(failure));
        }
    }

    @Override
    public String toString() {
        return "TokenRefreshPolicy[name=" + name + ", state=" + getState() + ", version=" + snapshot.version + ']';
    }
}
