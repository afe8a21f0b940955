package io.github.tokenrefresh.testing;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An OAuth2 authorization server's token endpoint (RFC 6749) on a loopback port, for tests that
 * need real HTTP between a client and the server that refreshes its tokens.
 *
 * <p>{@code POST /token} takes {@code application/x-www-form-urlencoded} requests for the
 * {@code refresh_token} and {@code client_credentials} grants. Clients authenticate with
 * {@code client_secret_basic} or {@code client_secret_post}; a client registered as public sends
 * only {@code client_id}. A failed client authentication is answered 401
 * {@code {"error":"invalid_client"}} with {@code WWW-Authenticate: Basic realm="token"}; other
 * errors are 400 with the RFC 6749 §5.2 codes.
 *
 * <p>Access tokens are opaque random strings that expire after {@link #accessTokenLifetime()} on
 * the server's {@link Clock}; pass a {@link ManualClock} to {@link Builder#clock(Clock)} to control
 * expiry. Refresh tokens rotate by default: every refresh returns a new refresh token and marks the
 * presented one used. Presenting a used refresh token again revokes the whole family (every access
 * and refresh token descended from the same {@link #issueFamily()}) and is answered 400
 * {@code invalid_grant} with the description {@code refresh token reuse detected}. With rotation
 * off, a refresh answer has no {@code refresh_token} and the presented one stays valid.
 *
 * <p>Tests steer the server three ways, and every wait among them ends when the server closes:
 * <ul>
 *   <li>a script, {@link #enqueue(ScriptedResponse...)}: the next requests, one step each, in
 *       arrival order, get a fixed answer, a broken connection or a delay instead of the normal
 *       answer; once the script is used up the server answers normally;</li>
 *   <li>a gate, {@link #holdResponses()} and {@link #releaseResponses()}: held requests are
 *       recorded and then wait, so a test can line up concurrent callers and count what arrived;</li>
 *   <li>state changes: {@link #revoke(String)}, {@link #revokeFamily(String)},
 *       {@link #setAccessTokenLifetime(Duration)}, {@link #setRotateRefreshTokens(boolean)}.</li>
 * </ul>
 *
 * <p>Every request to {@code /token} is recorded as a {@link TokenRequest} when it arrives, before
 * the script or gate applies to it. Nothing this server records or prints holds a secret.
 *
 * <p>Thread-safety: safe for use by any number of threads, including the server's own handler
 * threads; counts stay exact under concurrent requests. Close it to free the port and its threads.
 */
public final class LoopbackTokenServer implements AutoCloseable {

    /** The client id registered when a builder registers none. */
    public static final String DEFAULT_CLIENT_ID = "tokenrefresh-test-client";

    /** The secret of {@link #DEFAULT_CLIENT_ID}. */
    public static final String DEFAULT_CLIENT_SECRET = "tokenrefresh-test-secret";

    /** One hour: a common lifetime for real access tokens, long enough that no test sees it lapse. */
    public static final Duration DEFAULT_ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);

    private final LoopbackListener listener;
    private final ClientRegistry clients;
    private final TokenLedger ledger;
    private final ResponseGate gate;
    private final TokenEndpointHandler endpoint;

    private LoopbackTokenServer(Builder builder) {
        Map<String, String> registered = builder.clients.isEmpty()
                ? Map.of(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET) : builder.clients;
        this.clients = new ClientRegistry(registered);
        this.ledger = new TokenLedger(builder.clock, builder.accessTokenLifetime, builder.rotateRefreshTokens);
        this.gate = new ResponseGate();
        this.endpoint = new TokenEndpointHandler(clients, ledger, gate);
        this.listener = LoopbackListener.start("token server", endpoint);
    }

    /**
     * Starts a server with the defaults: one confidential client {@link #DEFAULT_CLIENT_ID} /
     * {@link #DEFAULT_CLIENT_SECRET}, the system UTC clock, tokens living
     * {@link #DEFAULT_ACCESS_TOKEN_LIFETIME}, and rotating refresh tokens.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the running server
     * @throws java.io.UncheckedIOException if no loopback port can be bound
     */
    public static LoopbackTokenServer start() {
        return builder().start();
    }

    /**
     * Returns a builder for a server with other clients, clock or token settings.
     *
     * <p>Thread-safety: safe from any thread; the builder itself is not thread-safe.
     *
     * @return a new builder holding the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the server's root, such as {@code http://127.0.0.1:54321}.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the base URI, without a trailing slash
     */
    public URI baseUri() {
        return listener.baseUri();
    }

    /**
     * Returns the token endpoint's URI, {@link #baseUri()} plus {@code /token}.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the token endpoint
     */
    public URI tokenEndpoint() {
        return URI.create(baseUri() + TokenEndpointHandler.PATH);
    }

    /**
     * Returns the clock the server measures expiry with.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the clock given to the builder, or the system UTC clock
     */
    public Clock clock() {
        return ledger.clock();
    }

    /**
     * Seeds a new token family for the first registered client, with no scope, as if the client had
     * just logged in. Issuing it does not count as a token endpoint request or issue.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the family's initial tokens
     */
    public TokenFamily issueFamily() {
        return ledger.seedFamily(clients.firstClientId(), null);
    }

    /**
     * Seeds a new token family for a given client and scope, as if the client had just logged in.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param clientId a registered client
     * @param scope the granted scope, space-separated, or null for none; a refresh may narrow it
     * @return the family's initial tokens
     * @throws NullPointerException if {@code clientId} is null
     * @throws IllegalArgumentException if {@code clientId} is not registered
     */
    public TokenFamily issueFamily(String clientId, String scope) {
        Objects.requireNonNull(clientId, "clientId");
        if (!clients.isRegistered(clientId)) {
            throw new IllegalArgumentException("client '" + clientId + "' is not registered with this server");
        }
        return ledger.seedFamily(clientId, scope);
    }

    /**
     * Changes the lifetime of access tokens issued from now on; tokens already issued keep theirs.
     *
     * <p>Thread-safety: safe from any thread; requests in flight may see either value.
     *
     * @param lifetime whole seconds, zero or more; zero issues tokens that are already expired
     * @throws NullPointerException if {@code lifetime} is null
     * @throws IllegalArgumentException if {@code lifetime} is negative or not whole seconds, since
     *         {@code expires_in} could not state it
     */
    public void setAccessTokenLifetime(Duration lifetime) {
        ledger.setAccessTokenLifetime(checkLifetime(lifetime));
    }

    /**
     * Returns the lifetime given to newly issued access tokens.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the current lifetime
     */
    public Duration accessTokenLifetime() {
        return ledger.accessTokenLifetime();
    }

    /**
     * Turns refresh token rotation on or off for refreshes from now on.
     *
     * <p>Thread-safety: safe from any thread; requests in flight may see either value.
     *
     * @param rotate true to issue a new refresh token on every refresh and detect reuse; false to
     *        leave {@code refresh_token} out of refresh answers and keep the presented one valid
     */
    public void setRotateRefreshTokens(boolean rotate) {
        ledger.setRotateRefreshTokens(rotate);
    }

    /**
     * Tells whether refreshes rotate the refresh token.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return true if rotation is on
     */
    public boolean rotatesRefreshTokens() {
        return ledger.rotatesRefreshTokens();
    }

    /**
     * Tells whether an access token would be accepted now: issued by this server, not revoked,
     * family not revoked, and not expired on the server's clock (a token is expired from its expiry
     * instant on).
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param accessToken the token value
     * @return true if the token is valid
     * @throws NullPointerException if {@code accessToken} is null
     */
    public boolean isValid(String accessToken) {
        Objects.requireNonNull(accessToken, "accessToken");
        return ledger.state(accessToken) == TokenLedger.AccessTokenState.ACTIVE;
    }

    /**
     * Revokes a single access or refresh token before it expires, as an administrator would; the
     * rest of its family stays valid.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param token an access or refresh token value
     * @return true if the server knew the token
     * @throws NullPointerException if {@code token} is null
     */
    public boolean revoke(String token) {
        Objects.requireNonNull(token, "token");
        return ledger.revoke(token);
    }

    /**
     * Revokes every access and refresh token of a family, now and for good.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param familyId the id from {@link TokenFamily#familyId()} or {@link TokenRequest#familyId()}
     * @return true if the server knew the family
     * @throws NullPointerException if {@code familyId} is null
     */
    public boolean revokeFamily(String familyId) {
        Objects.requireNonNull(familyId, "familyId");
        return ledger.revokeFamily(familyId);
    }

    /**
     * Tells whether a family was revoked, by {@link #revokeFamily(String)} or by reuse detection.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param familyId the family's id
     * @return true if the family is known and revoked
     * @throws NullPointerException if {@code familyId} is null
     */
    public boolean isFamilyRevoked(String familyId) {
        Objects.requireNonNull(familyId, "familyId");
        return ledger.isFamilyRevoked(familyId);
    }

    /**
     * Appends steps to the script. Each request to {@code /token} that arrives from now on takes the
     * first remaining step, in arrival order, whatever its grant or client; when no step remains the
     * server answers normally.
     *
     * <p>Thread-safety: safe from any thread, also while requests arrive.
     *
     * @param steps what the next requests get, in order
     * @throws NullPointerException if {@code steps} or any step is null
     */
    public void enqueue(ScriptedResponse... steps) {
        List<ScriptedResponse> list = Arrays.asList(steps.clone());
        list.forEach(step -> Objects.requireNonNull(step, "step"));
        endpoint.enqueue(list);
    }

    /**
     * Appends the same step {@code times} times to the script.
     *
     * <p>Thread-safety: safe from any thread, also while requests arrive.
     *
     * @param times how many requests get the step
     * @param step what they get
     * @throws NullPointerException if {@code step} is null
     * @throws IllegalArgumentException if {@code times} is negative
     */
    public void enqueue(int times, ScriptedResponse step) {
        Objects.requireNonNull(step, "step");
        if (times < 0) {
            throw new IllegalArgumentException("times must not be negative, got " + times);
        }
        endpoint.enqueue(Collections.nCopies(times, step));
    }

    /**
     * Returns how many script steps no request has taken yet.
     *
     * <p>Thread-safety: a snapshot; requests may take steps at once.
     *
     * @return the remaining steps
     */
    public int scriptRemaining() {
        return endpoint.scriptRemaining();
    }

    /**
     * Drops the steps no request has taken yet; steps already taken play out.
     *
     * <p>Thread-safety: safe from any thread.
     */
    public void clearScript() {
        endpoint.clearScript();
    }

    /**
     * Makes every token request from now on wait, after it is recorded and has taken its script
     * step, until {@link #releaseResponses()} or {@link #close()}.
     *
     * <p>Thread-safety: safe from any thread.
     */
    public void holdResponses() {
        gate.hold();
    }

    /**
     * Lets every held request go on, and stops holding new ones.
     *
     * <p>Thread-safety: safe from any thread. A request released here is not caught again by a
     * {@link #holdResponses()} that follows at once.
     */
    public void releaseResponses() {
        gate.release();
    }

    /**
     * Returns how many requests wait at the gate now.
     *
     * <p>Thread-safety: a snapshot.
     *
     * @return the number of held requests
     */
    public int heldResponseCount() {
        return gate.heldCount();
    }

    /**
     * Waits, in real time, until at least {@code count} requests wait at the gate.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param count the number of held requests to wait for
     * @param timeout the longest time to wait
     * @return true if that many are held, false on timeout
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean awaitHeldResponses(int count, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return gate.awaitHeld(count, timeout);
    }

    /**
     * Waits, in real time, until at least {@code count} requests have reached {@code /token} since
     * the server started; a request counts on arrival, before it is answered.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param count the number of requests to wait for
     * @param timeout the longest time to wait
     * @return true if that many arrived, false on timeout
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean awaitRequestCount(int count, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return endpoint.awaitRequests(count, timeout);
    }

    /**
     * Returns every request that reached {@code /token}, in arrival order.
     *
     * <p>Thread-safety: returns an immutable snapshot.
     *
     * @return the recorded requests
     */
    public List<TokenRequest> tokenRequests() {
        return endpoint.requests();
    }

    /**
     * Returns how many requests reached {@code /token}, whatever they were answered.
     *
     * <p>Thread-safety: a snapshot, exact under concurrency.
     *
     * @return the request count
     */
    public int requestCount() {
        return endpoint.requestCount();
    }

    /**
     * Returns how many requests to {@code /token} carried a given {@code grant_type}.
     *
     * <p>Thread-safety: a snapshot, exact under concurrency.
     *
     * @param grantType such as {@code refresh_token}
     * @return the request count for that grant type
     * @throws NullPointerException if {@code grantType} is null
     */
    public int requestCount(String grantType) {
        Objects.requireNonNull(grantType, "grantType");
        return endpoint.requestCount(grantType);
    }

    /**
     * Returns how many grants succeeded at the endpoint, including those of
     * {@link ScriptedResponse#grantThenDisconnect()} whose answer never arrived. Families seeded
     * by {@link #issueFamily()} do not count.
     *
     * <p>Thread-safety: a snapshot, exact under concurrency.
     *
     * @return the number of successful issues
     */
    public int issuedCount() {
        return endpoint.issuedCount();
    }

    /**
     * Returns how many times a used refresh token was presented and its family revoked.
     *
     * <p>Thread-safety: a snapshot, exact under concurrency.
     *
     * @return the number of reuse detections
     */
    public int reuseDetections() {
        return ledger.reuseDetections();
    }

    /**
     * Stops the server: ends every gate hold and scripted delay at once, drops the requests they
     * held without an answer, and frees the port and threads. Calling it again has no effect.
     *
     * <p>Thread-safety: safe from any thread; returns within a few seconds even if handlers hang.
     */
    @Override
    public void close() {
        gate.close();
        listener.close();
    }

    /**
     * Describes the server for test failure messages.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the endpoint and the main counters
     */
    @Override
    public String toString() {
        return "LoopbackTokenServer[" + tokenEndpoint() + ", requests=" + requestCount() + ", issued="
                + issuedCount() + ", reuseDetections=" + reuseDetections() + "]";
    }

    TokenLedger ledger() {
        return ledger;
    }

    private static Duration checkLifetime(Duration lifetime) {
        Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.isNegative() || lifetime.getNano() != 0) {
            throw new IllegalArgumentException("access token lifetime must be zero or more whole seconds, got "
                    + lifetime);
        }
        return lifetime;
    }

    /**
     * Configures a {@link LoopbackTokenServer} before it starts.
     *
     * <p>Thread-safety: not thread-safe; use a builder from one thread.
     */
    public static final class Builder {

        private final Map<String, String> clients = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private Duration accessTokenLifetime = DEFAULT_ACCESS_TOKEN_LIFETIME;
        private boolean rotateRefreshTokens = true;

        private Builder() {
        }

        /**
         * Sets the clock that decides when tokens expire and stamps recorded requests.
         *
         * <p>Thread-safety: not thread-safe.
         *
         * @param clock for example a {@link ManualClock}
         * @return this builder
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Registers a confidential client. The first client registered is the one
         * {@link LoopbackTokenServer#issueFamily()} issues to; registering none registers
         * {@link #DEFAULT_CLIENT_ID}.
         *
         * <p>Thread-safety: not thread-safe.
         *
         * @param clientId the client id; any characters, as the Basic scheme form-encodes it
         * @param clientSecret the secret
         * @return this builder
         * @throws NullPointerException if either argument is null
         * @throws IllegalArgumentException if {@code clientId} is empty or already registered
         */
        public Builder client(String clientId, String clientSecret) {
            Objects.requireNonNull(clientSecret, "clientSecret");
            register(clientId, clientSecret);
            return this;
        }

        /**
         * Registers a public client, which sends its {@code client_id} and no secret, and may not use
         * the {@code client_credentials} grant.
         *
         * <p>Thread-safety: not thread-safe.
         *
         * @param clientId the client id
         * @return this builder
         * @throws NullPointerException if {@code clientId} is null
         * @throws IllegalArgumentException if {@code clientId} is empty or already registered
         */
        public Builder publicClient(String clientId) {
            register(clientId, null);
            return this;
        }

        /**
         * Sets the lifetime of issued access tokens; {@link #setAccessTokenLifetime(Duration)}
         * changes it later.
         *
         * <p>Thread-safety: not thread-safe.
         *
         * @param lifetime whole seconds, zero or more
         * @return this builder
         * @throws NullPointerException if {@code lifetime} is null
         * @throws IllegalArgumentException if {@code lifetime} is negative or not whole seconds
         */
        public Builder accessTokenLifetime(Duration lifetime) {
            this.accessTokenLifetime = checkLifetime(lifetime);
            return this;
        }

        /**
         * Sets whether refreshes rotate the refresh token; on by default.
         *
         * <p>Thread-safety: not thread-safe.
         *
         * @param rotate true to rotate and detect reuse
         * @return this builder
         */
        public Builder rotateRefreshTokens(boolean rotate) {
            this.rotateRefreshTokens = rotate;
            return this;
        }

        /**
         * Binds a loopback port and starts serving.
         *
         * <p>Thread-safety: not thread-safe; the returned server is.
         *
         * @return the running server
         * @throws java.io.UncheckedIOException if no loopback port can be bound
         */
        public LoopbackTokenServer start() {
            return new LoopbackTokenServer(this);
        }

        private void register(String clientId, String secret) {
            Objects.requireNonNull(clientId, "clientId");
            if (clientId.isEmpty()) {
                throw new IllegalArgumentException("clientId must not be empty");
            }
            if (clients.containsKey(clientId)) {
                throw new IllegalArgumentException("client '" + clientId + "' is already registered");
            }
            clients.put(clientId, secret);
        }
    }
}
