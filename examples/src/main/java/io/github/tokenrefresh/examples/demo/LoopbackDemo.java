package io.github.tokenrefresh.examples.demo;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenSet;
import io.github.tokenrefresh.jdk.JdkTokenEndpointTransport;
import io.github.tokenrefresh.oauth2.ClientAuthentication;
import io.github.tokenrefresh.oauth2.RefreshTokenGrant;
import io.github.tokenrefresh.oauth2.TokenEndpoint;
import io.github.tokenrefresh.testing.LoopbackResourceServer;
import io.github.tokenrefresh.testing.LoopbackTokenServer;
import io.github.tokenrefresh.testing.ScriptedResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The demo in loopback mode: an OAuth2 token server with short-lived access tokens and rotating refresh tokens with
 * reuse detection, and a resource server that answers 401 {@code invalid_token} to an expired or revoked token, both
 * in this process; callers through the JDK and Apache adapters sharing one {@link TokenRefreshPolicy}; and two
 * incidents, each optional:
 * <ul>
 *   <li><b>revocation</b>, a fifth into the run: the token server revokes the access token in use, as an
 *       administrator would. Every caller holding it gets a 401; the policy runs one reactive refresh for all of them
 *       and replays their requests.</li>
 *   <li><b>outage</b>, from a third into the run (at the first moment the token is fresh again): the token endpoint
 *       answers every request 503 {@code temporarily_unavailable} with {@code Retry-After: 1}, until one second after
 *       the access token in use at the start has expired. The outage spans that token's stale moment, so refreshes
 *       fail while callers keep using the still-valid token, the policy backs off and the token endpoint's circuit
 *       breaker opens; and it outlasts the token by a second, so a few calls fail with the retryable
 *       {@code TokenEndpointUnavailableException} before the first refresh after the outage succeeds.</li>
 * </ul>
 *
 * <p>The policy's thresholds are fractions of the token's lifetime, so a five-second token is renewed after about
 * three seconds (the stale threshold, less jitter) and no longer sent in its last half second (the expiry
 * threshold). Used by one thread; close it to stop the servers.
 */
public final class LoopbackDemo implements AutoCloseable {

    /** The policy's name, the {@code name} tag of its meters. */
    public static final String POLICY_NAME = "demo-api";

    /** The resource every call requests. */
    public static final String RESOURCE_PATH = "/orders/42";

    /** Stale threshold fraction: renew after three fifths of a token's life, well before it expires. */
    static final double STALE_FRACTION = 0.4;

    /** Expiry threshold fraction: stop sending a token in its last tenth, the library's default. */
    static final double EXPIRY_FRACTION = TokenRefreshConfig.DEFAULT_EXPIRY_FRACTION;

    /** Refresh timeout: a loopback refresh takes milliseconds; callers of a short-lived token should not wait 10 s. */
    static final Duration REFRESH_TIMEOUT = Duration.ofSeconds(3);

    /** What the token endpoint's {@code Retry-After} says during the outage. */
    static final Duration OUTAGE_RETRY_AFTER = Duration.ofSeconds(1);

    /** How long the outage outlasts the token it began with: long enough for a few calls to fail. */
    static final Duration OUTAGE_OVERHANG = Duration.ofSeconds(1);

    /** Scripted 503s queued for the outage; cleared when it ends, far more than a backing-off policy asks for. */
    private static final int OUTAGE_ANSWERS = 10_000;

    private final DemoOptions options;
    private final DemoSession session;
    private final DemoConsole console;
    private final LoopbackTokenServer tokens;
    private final LoopbackResourceServer api;
    private final TokenRefreshPolicy policy;
    private volatile boolean incidentsOver;
    private volatile Instant outageEndedAt;

    /**
     * Starts the servers and builds the policy; nothing is called until {@link #run()}.
     *
     * @param options the options, in loopback mode
     * @param out where to print progress, events and the summary
     * @throws IllegalArgumentException if the options are for provider mode
     */
    public LoopbackDemo(DemoOptions options, PrintStream out) {
        this.options = Objects.requireNonNull(options, "options must not be null");
        if (options.mode() != DemoOptions.Mode.LOOPBACK) {
            throw new IllegalArgumentException("LoopbackDemo needs options in loopback mode, got " + options.mode());
        }
        this.session = new DemoSession(options, out);
        this.console = session.console();

        this.tokens = LoopbackTokenServer.builder().accessTokenLifetime(options.tokenLifetime()).start();
        this.api = LoopbackResourceServer.start(tokens);
        // Millions of requests may arrive; the counts are all the summary needs.
        api.setRecordRequests(false);
        session.meters().bindTokenServer(tokens);

        TokenEndpoint endpoint = TokenEndpoint.builder(tokens.tokenEndpoint())
                .clientAuthentication(ClientAuthentication.clientSecretBasic(LoopbackTokenServer.DEFAULT_CLIENT_ID,
                        Secret.of(LoopbackTokenServer.DEFAULT_CLIENT_SECRET)))
                .transport(JdkTokenEndpointTransport.create())
                .build();
        RefreshTokenGrant grant = RefreshTokenGrant.builder(endpoint)
                .initialRefreshToken(Secret.of(tokens.issueFamily().refreshToken()))
                .build();
        TokenRefreshConfig config = TokenRefreshConfig.custom()
                .staleThreshold(TokenRefreshConfig.DEFAULT_STALE_MARGIN, STALE_FRACTION)
                .expiryThreshold(TokenRefreshConfig.DEFAULT_EXPIRY_MARGIN, EXPIRY_FRACTION)
                .refreshTimeout(REFRESH_TIMEOUT)
                .allowedOrigin(api.baseUri())
                .build();
        this.policy = TokenRefreshPolicy.of(POLICY_NAME,
                config, session.guard(grant, DemoResilience.LOOPBACK_ENDPOINT_OPEN_WAIT));
    }

    /**
     * Runs the callers for the configured time, with the incidents, and reads the summary.
     *
     * @return the summary, read from Micrometer
     * @throws InterruptedException if the thread is interrupted
     * @throws IOException if a client could not be closed
     */
    public DemoSummary run() throws InterruptedException, IOException {
        printHeader();
        session.startEndpoint();
        try {
            return session.run(policy, api.uri(RESOURCE_PATH), this::scheduleIncidents);
        } finally {
            incidentsOver = true;
            tokens.clearScript();
        }
    }

    /**
     * Keeps the Prometheus endpoint up after the run, as {@code --serve-for} says; returns at once without one.
     *
     * @throws InterruptedException if the thread is interrupted
     */
    public void serveAfterRun() throws InterruptedException {
        session.serveAfterRun();
    }

    /**
     * Returns the token server, for tests that compare the summary with what the server saw.
     *
     * @return the token server
     */
    public LoopbackTokenServer tokenServer() {
        return tokens;
    }

    /**
     * Returns the resource server, for tests that compare the summary with what the server saw.
     *
     * @return the resource server
     */
    public LoopbackResourceServer resourceServer() {
        return api;
    }

    /**
     * Returns when the token endpoint outage ended, for tests that check what the policy did afterwards.
     *
     * @return the end of the outage, or empty if there was none or the run ended first
     */
    public Optional<Instant> outageEndedAt() {
        return Optional.ofNullable(outageEndedAt);
    }

    /**
     * Returns the registry the summary is read from.
     *
     * @return the registry holding every meter of the demo
     */
    public MeterRegistry meterRegistry() {
        return session.meters().summaryRegistry();
    }

    /**
     * Returns the registry behind the Prometheus endpoint.
     *
     * @return the registry, or empty without {@code --prometheus}
     */
    public Optional<PrometheusMeterRegistry> prometheusRegistry() {
        return session.meters().prometheus();
    }

    @Override
    public void close() {
        policy.close();
        session.close();
        api.close();
        tokens.close();
    }

    private void printHeader() {
        long lifetime = options.tokenLifetime().toSeconds();
        console.line("tokenrefresh demo, loopback mode");
        console.line("  token server     " + tokens.tokenEndpoint() + ": access tokens live " + lifetime
                + " s, refresh tokens rotate, a reused refresh token revokes the session");
        console.line("  resource server  " + api.baseUri() + ": 401 invalid_token for an expired or revoked token");
        console.line(String.format(Locale.ROOT, "  callers          %d for %d s%s, spread over %s; each call is "
                        + "Retry(CircuitBreaker(client + token policy))", options.threads(),
                options.duration().toSeconds(), options.rate() == 0 ? "" : " at " + options.rate() + " calls/s",
                "the JDK client, Apache classic and Apache async"));
        console.line(String.format(Locale.ROOT, "  token policy     renews after %.1f s, stops sending a token "
                        + "%.1f s before it expires; the token endpoint has its own Retry and CircuitBreaker",
                lifetime * (1 - STALE_FRACTION), lifetime * EXPIRY_FRACTION));
        console.line("  library log      " + System.getProperty(Demo.LOG_FILE_PROPERTY, "(the logging setup's)"));
        console.line("");
    }

    private void scheduleIncidents() {
        long durationMillis = options.duration().toMillis();
        if (options.revocation()) {
            session.scheduler().schedule(this::revoke, durationMillis / 5, TimeUnit.MILLISECONDS);
        }
        if (options.outage()) {
            session.scheduler().schedule(this::startOutageWhenFresh, durationMillis / 3, TimeUnit.MILLISECONDS);
        }
    }

    /** Revokes the token in use, waiting for the first one if there is none yet. */
    private void revoke() {
        if (incidentsOver) {
            return;
        }
        Optional<AccessToken> current = policy.currentTokens().map(TokenSet::accessToken);
        if (current.isEmpty()) {
            session.scheduler().schedule(this::revoke, 50, TimeUnit.MILLISECONDS);
            return;
        }
        if (tokens.revoke(current.get().value().reveal())) {
            console.event("incident: the token server revokes the access token in use (version "
                    + current.get().version() + "); callers holding it get 401 invalid_token");
        }
    }

    /** Starts the outage once the token is fresh, so that the outage spans its stale moment and its expiry. */
    private void startOutageWhenFresh() {
        if (incidentsOver) {
            return;
        }
        Optional<Instant> expiresAt = policy.currentTokens().flatMap(TokenSet::expiresAt);
        if (policy.getState() != TokenRefreshPolicy.State.FRESH || expiresAt.isEmpty()) {
            session.scheduler().schedule(this::startOutageWhenFresh, 50, TimeUnit.MILLISECONDS);
            return;
        }

        tokens.enqueue(OUTAGE_ANSWERS, ScriptedResponse.error(503, "temporarily_unavailable")
                .withHeader("Retry-After", Long.toString(OUTAGE_RETRY_AFTER.toSeconds())));
        Duration length = Duration.between(Instant.now(), expiresAt.get().plus(OUTAGE_OVERHANG));
        console.event(String.format(Locale.ROOT, "incident: token endpoint outage for %.1f s, every token request "
                + "answered 503 temporarily_unavailable, Retry-After: %d", length.toMillis() / 1000.0,
                OUTAGE_RETRY_AFTER.toSeconds()));
        session.scheduler().schedule(this::endOutage, Math.max(0, length.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void endOutage() {
        if (incidentsOver) {
            return;
        }
        tokens.clearScript();
        outageEndedAt = Instant.now();
        console.event("incident over: the token endpoint answers normally again");
    }
}
