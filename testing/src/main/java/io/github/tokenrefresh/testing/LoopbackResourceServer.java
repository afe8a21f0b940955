package io.github.tokenrefresh.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A protected HTTP API on a loopback port that accepts the access tokens of a
 * {@link LoopbackTokenServer}, or, made with {@link #startUnprotected()}, a plain server that
 * answers 200 to everything: the "other origin" a test redirects to in order to prove a token never
 * crossed over.
 *
 * <p>Every path is served. A protected server answers:
 * <ul>
 *   <li>no bearer credentials: 401 with {@code WWW-Authenticate: Bearer realm="api"} and no error
 *       code (RFC 6750 §3.1);</li>
 *   <li>a token that is unknown, expired, revoked, or of a revoked family: 401 with
 *       {@code WWW-Authenticate: Bearer error="invalid_token", error_description="..."};</li>
 *   <li>a valid token: 200 with {@code {"method":..,"path":..,"bodyLength":..}}.</li>
 * </ul>
 * Per-path rules override that: {@link #redirect(String, URI, int)},
 * {@link #forbidInsufficientScope(String, String)} and {@link #route(String, HttpHandler)}. Paths
 * match exactly, without the query.
 *
 * <p>Request bodies are always read in full, so clients can send them, and every request is
 * recorded as a {@link RecordedRequest} before its response is sent: once a client has a response,
 * the request is in {@link #requests()}. A long load run can turn recording off with
 * {@link #setRecordRequests(boolean)}; the counts stay exact.
 *
 * <p>Thread-safety: safe for use by any number of threads; rules may change while requests are
 * served. Close it to free the port and its threads.
 */
public final class LoopbackResourceServer implements AutoCloseable {

    /** The realm in this server's {@code WWW-Authenticate} challenges. */
    public static final String REALM = "api";

    private static final String JSON = "application/json;charset=UTF-8";

    private static final System.Logger LOG = System.getLogger(LoopbackResourceServer.class.getName());

    /** What a path does instead of the default answer. */
    private static final class PathRule {

        final URI location;
        final int redirectStatus;
        final String requiredScope;
        final HttpHandler handler;

        PathRule(URI location, int redirectStatus, String requiredScope, HttpHandler handler) {
            this.location = location;
            this.redirectStatus = redirectStatus;
            this.requiredScope = requiredScope;
            this.handler = handler;
        }
    }

    private final LoopbackTokenServer tokens;
    private final Clock clock;
    private final Map<String, PathRule> rules = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger requestTotal = new AtomicInteger();
    private final Map<Integer, AtomicInteger> statusCounts = new ConcurrentHashMap<>();
    private volatile boolean recordRequests = true;
    private final LoopbackListener listener;

    private LoopbackResourceServer(LoopbackTokenServer tokens) {
        this.tokens = tokens;
        this.clock = tokens == null ? Clock.systemUTC() : tokens.clock();
        this.listener = LoopbackListener.start("resource server", this::handle);
    }

    /**
     * Starts a server that accepts exactly the access tokens {@code tokens} considers valid, at the
     * moment of each request.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param tokens the token server whose tokens are accepted
     * @return the running server
     * @throws NullPointerException if {@code tokens} is null
     * @throws java.io.UncheckedIOException if no loopback port can be bound
     */
    public static LoopbackResourceServer start(LoopbackTokenServer tokens) {
        return new LoopbackResourceServer(Objects.requireNonNull(tokens, "tokens"));
    }

    /**
     * Starts a server that checks no credentials, records every request and answers 200 unless a
     * path rule says otherwise.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the running server
     * @throws java.io.UncheckedIOException if no loopback port can be bound
     */
    public static LoopbackResourceServer startUnprotected() {
        return new LoopbackResourceServer(null);
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
     * Returns {@link #baseUri()} with a path and optional query appended.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param pathAndQuery starting with {@code /}, such as {@code /orders?page=2}
     * @return the absolute URI
     * @throws NullPointerException if {@code pathAndQuery} is null
     * @throws IllegalArgumentException if it does not start with {@code /} or is not a valid URI part
     */
    public URI uri(String pathAndQuery) {
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("pathAndQuery must start with '/', got '" + pathAndQuery + "'");
        }
        return URI.create(baseUri() + pathAndQuery);
    }

    /**
     * Tells whether this server checks bearer tokens.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return false if made with {@link #startUnprotected()}
     */
    public boolean isProtected() {
        return tokens != null;
    }

    /**
     * Makes {@code path} answer every request, authenticated or not, with a redirect.
     *
     * <p>Thread-safety: safe from any thread; replaces any earlier rule for the path.
     *
     * @param path the exact path, such as {@code /moved}
     * @param location the {@code Location}, typically another server's URI
     * @param status 301, 302, 303, 307 or 308
     * @throws NullPointerException if {@code path} or {@code location} is null
     * @throws IllegalArgumentException if {@code status} is not a redirect status
     */
    public void redirect(String path, URI location, int status) {
        Objects.requireNonNull(location, "location");
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            throw new IllegalArgumentException("redirect status must be 301, 302, 303, 307 or 308, got " + status);
        }
        rules.put(checkPath(path), new PathRule(location, status, null, null));
    }

    /**
     * Makes {@code path} answer a request carrying a valid token with 403 and
     * {@code WWW-Authenticate: Bearer error="insufficient_scope", scope="<requiredScope>"}
     * (RFC 6750 §3.1); requests without a valid token still get 401.
     *
     * <p>Thread-safety: safe from any thread; replaces any earlier rule for the path.
     *
     * @param path the exact path
     * @param requiredScope the scope named in the challenge
     * @throws NullPointerException if either argument is null
     */
    public void forbidInsufficientScope(String path, String requiredScope) {
        Objects.requireNonNull(requiredScope, "requiredScope");
        rules.put(checkPath(path), new PathRule(null, 0, requiredScope, null));
    }

    /**
     * Hands every request for {@code path} to {@code handler}, with no token check. The request is
     * still recorded, with the status the handler sends; the handler can read the body again.
     * The server closes the exchange after the handler returns.
     *
     * <p>Thread-safety: safe from any thread; replaces any earlier rule for the path. The handler
     * runs on the server's threads, possibly concurrently with itself.
     *
     * @param path the exact path
     * @param handler what answers the requests
     * @throws NullPointerException if either argument is null
     */
    public void route(String path, HttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        rules.put(checkPath(path), new PathRule(null, 0, null, handler));
    }

    /**
     * Removes the rule for {@code path}, so it gets the default answer again.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param path the exact path
     * @throws NullPointerException if {@code path} is null
     */
    public void clearRule(String path) {
        rules.remove(Objects.requireNonNull(path, "path"));
    }

    /**
     * Turns the recording of requests on or off; on when the server starts. While it is off,
     * requests are answered and counted as usual ({@link #requestCount()},
     * {@link #responseCount(int)}, {@link #okCount()} and {@link #unauthorizedCount()} stay exact)
     * but not kept for {@link #requests()}, so a long load run does not fill the heap.
     *
     * <p>Thread-safety: safe from any thread; requests in flight may see either value.
     *
     * @param record true to keep every request, false to only count them
     */
    public void setRecordRequests(boolean record) {
        this.recordRequests = record;
    }

    /**
     * Tells whether requests are recorded for {@link #requests()}.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return true if recording is on
     */
    public boolean recordsRequests() {
        return recordRequests;
    }

    /**
     * Returns every request received while recording was on, in the order their responses started.
     *
     * <p>Thread-safety: returns an immutable snapshot.
     *
     * @return the recorded requests
     */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * Returns the requests received for one path while recording was on.
     *
     * <p>Thread-safety: returns an immutable snapshot.
     *
     * @param path the exact path
     * @return the recorded requests for that path
     * @throws NullPointerException if {@code path} is null
     */
    public List<RecordedRequest> requests(String path) {
        Objects.requireNonNull(path, "path");
        List<RecordedRequest> matching = new ArrayList<>();
        for (RecordedRequest request : requests) {
            if (request.path().equals(path)) {
                matching.add(request);
            }
        }
        return List.copyOf(matching);
    }

    /**
     * Returns how many requests were received, recorded or not.
     *
     * <p>Thread-safety: a snapshot, exact under concurrency.
     *
     * @return the request count
     */
    public int requestCount() {
        return requestTotal.get();
    }

    /**
     * Returns how many requests were answered with {@code status}.
     *
     * <p>Thread-safety: a snapshot, exact under concurrency.
     *
     * @param status an HTTP status
     * @return the number of such answers
     */
    public int responseCount(int status) {
        AtomicInteger count = statusCounts.get(status);
        return count == null ? 0 : count.get();
    }

    /**
     * Returns how many requests were answered 200.
     *
     * <p>Thread-safety: a snapshot, exact under concurrency.
     *
     * @return the number of 200 answers
     */
    public int okCount() {
        return responseCount(200);
    }

    /**
     * Returns how many requests were answered 401.
     *
     * <p>Thread-safety: a snapshot, exact under concurrency.
     *
     * @return the number of 401 answers
     */
    public int unauthorizedCount() {
        return responseCount(401);
    }

    /**
     * Stops the server and frees its port and threads. Calling it again has no effect.
     *
     * <p>Thread-safety: safe from any thread.
     */
    @Override
    public void close() {
        listener.close();
    }

    /**
     * Describes the server for test failure messages.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the base URI and counters
     */
    @Override
    public String toString() {
        return "LoopbackResourceServer[" + baseUri() + (isProtected() ? "" : ", unprotected")
                + ", requests=" + requestCount() + ", ok=" + okCount() + ", unauthorized=" + unauthorizedCount()
                + "]";
    }

    private void handle(HttpExchange exchange) {
        try {
            byte[] body = LoopbackListener.readBody(exchange);
            exchange.setStreams(new ByteArrayInputStream(body), null);

            Instant receivedAt = clock.instant();
            String token = bearerToken(exchange.getRequestHeaders());
            RecordingExchange recording = new RecordingExchange(exchange,
                    status -> record(exchange, receivedAt, body, token, status));
            try {
                respond(recording, token, body.length);
            } finally {
                recording.finish();
            }
        } catch (IOException e) {
            // The client hung up or the server is closing; the recorded status shows no answer.
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a request to the loopback resource server failed", e);
        } finally {
            exchange.close();
        }
    }

    private void record(HttpExchange exchange, Instant receivedAt, byte[] body, String token, int status) {
        requestTotal.incrementAndGet();
        statusCounts.computeIfAbsent(status, key -> new AtomicInteger()).incrementAndGet();
        if (!recordRequests) {
            return;
        }

        URI uri = exchange.getRequestURI();
        requests.add(new RecordedRequest(receivedAt, exchange.getRequestMethod(), uri.getPath(),
                uri.getRawQuery(), exchange.getRequestHeaders(), body, token, status));
    }

    private void respond(HttpExchange exchange, String token, int bodyLength) throws IOException {
        String path = exchange.getRequestURI().getPath();
        PathRule rule = rules.get(path);
        if (rule != null && rule.handler != null) {
            rule.handler.handle(exchange);
            return;
        }
        if (rule != null && rule.location != null) {
            exchange.getResponseHeaders().set("Location", rule.location.toString());
            LoopbackListener.send(exchange, rule.redirectStatus, null, new byte[0]);
            return;
        }

        if (tokens != null) {
            if (token == null) {
                challenge(exchange, 401, "Bearer realm=\"" + REALM + "\"", "a bearer token is required");
                return;
            }
            TokenLedger.AccessTokenState state = tokens.ledger().state(token);
            if (state != TokenLedger.AccessTokenState.ACTIVE) {
                challenge(exchange, 401, "Bearer error=\"invalid_token\", error_description=\""
                        + state.description() + "\"", state.description());
                return;
            }
        }
        if (rule != null && rule.requiredScope != null) {
            String scope = rule.requiredScope;
            challenge(exchange, 403, "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\"",
                    "the access token lacks scope " + scope);
            return;
        }

        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("method", exchange.getRequestMethod());
        echo.put("path", path);
        echo.put("bodyLength", bodyLength);
        LoopbackListener.send(exchange, 200, JSON, Json.object(echo).getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a challenge with a short body, so clients have something to consume and release. */
    private static void challenge(HttpExchange exchange, int status, String wwwAuthenticate, String message)
            throws IOException {
        exchange.getResponseHeaders().set("WWW-Authenticate", wwwAuthenticate);
        String body = Json.object(Map.of("message", message));
        LoopbackListener.send(exchange, status, JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The token of a {@code Bearer} Authorization header, "" if it is empty, null if absent. */
    private static String bearerToken(Headers headers) {
        String authorization = headers.getFirst("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer", 0, 6)) {
            return null;
        }
        if (authorization.length() > 6 && authorization.charAt(6) != ' ') {
            return null;
        }
        return authorization.substring(6).trim();
    }

    private static String checkPath(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', got '" + path + "'");
        }
        return path;
    }
}
