package io.github.tokenrefresh.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serves {@code /token}: records each request, applies the next scripted step, the gate and any
 * delay, then answers from the ledger. Counters and the script share one lock so that the step a
 * request gets follows its place in the arrival order.
 */
final class TokenEndpointHandler implements HttpHandler {

    static final String PATH = "/token";

    private static final System.Logger LOG = System.getLogger(LoopbackTokenServer.class.getName());

    private static final String JSON = "application/json;charset=UTF-8";
    private static final String FORM = "application/x-www-form-urlencoded";

    /** Declared for a mid-response disconnect; more than the few bytes actually written. */
    private static final int PROMISED_LENGTH = 512;

    /** A response whose status, headers and body are decided but not yet sent. */
    private static final class Reply {

        final int status;
        final Map<String, String> headers = new LinkedHashMap<>();
        final byte[] body;

        Reply(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }

        static Reply json(int status, String json) {
            Reply reply = new Reply(status, json.getBytes(StandardCharsets.UTF_8));
            reply.headers.put("Content-Type", JSON);
            // RFC 6749 §5.1: token responses must not be cached.
            reply.headers.put("Cache-Control", "no-store");
            reply.headers.put("Pragma", "no-cache");
            return reply;
        }
    }

    private final ClientRegistry clients;
    private final TokenLedger ledger;
    private final ResponseGate gate;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Deque<ScriptedResponse> script = new ArrayDeque<>();
    private final List<TokenRequest> requests = new ArrayList<>();
    private int issued;

    TokenEndpointHandler(ClientRegistry clients, TokenLedger ledger, ResponseGate gate) {
        this.clients = clients;
        this.ledger = ledger;
        this.gate = gate;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                LoopbackListener.send(exchange, 404, "text/plain;charset=UTF-8",
                        "the token endpoint is at /token".getBytes(StandardCharsets.UTF_8));
                return;
            }
            serve(exchange);
        } catch (IOException e) {
            // The client hung up or the server is closing: nobody is left to tell.
        } catch (RuntimeException e) {
            // A fault in the fixture itself; without this line the client would only see a
            // dropped connection and the test would fail for no visible reason.
            LOG.log(System.Logger.Level.WARNING, "the loopback token endpoint failed on a request", e);
        } finally {
            // Without a response sent, closing the exchange drops the connection, which is what
            // an abandoned or disconnecting step wants.
            exchange.close();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        byte[] raw = LoopbackListener.readBody(exchange);
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        boolean isForm = contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith(FORM);

        Form form = Form.empty();
        boolean formMalformed = false;
        if (isForm) {
            try {
                form = Form.parse(new String(raw, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                formMalformed = true;
            }
        }
        ClientRegistry.Presented presented = ClientRegistry.presented(exchange.getRequestHeaders(), form);

        ScriptedResponse step = arrive(record(exchange, form, presented));
        if (!gate.pass()) {
            return;
        }
        if (step != null && !step.delay().isZero() && !gate.pause(step.delay())) {
            return;
        }

        ScriptedResponse.Action action = step == null ? ScriptedResponse.Action.NORMAL : step.action();
        switch (action) {
            case ANSWER:
                Reply scripted = new Reply(step.status(), step.body());
                if (step.contentType() != null) {
                    scripted.headers.put("Content-Type", step.contentType());
                }
                send(exchange, scripted, step);
                break;
            case DISCONNECT_BEFORE_RESPONSE:
                break;
            case DISCONNECT_MID_RESPONSE:
                Reply partial = Reply.json(200, "{\"access_token\":\"");
                writeTruncated(exchange, partial, partial.body, PROMISED_LENGTH, step);
                break;
            case GRANT_THEN_DISCONNECT:
                Reply granted = answer(exchange.getRequestMethod(), isForm, formMalformed, form, presented);
                int half = granted.body.length / 2;
                writeTruncated(exchange, granted, Arrays.copyOf(granted.body, half),
                        granted.body.length, step);
                break;
            case NORMAL:
            default:
                Reply normal = answer(exchange.getRequestMethod(), isForm, formMalformed, form, presented);
                send(exchange, normal, step);
                break;
        }
    }

    private Reply answer(String method, boolean isForm, boolean formMalformed, Form form,
            ClientRegistry.Presented presented) {
        if (!"POST".equals(method)) {
            Reply reply = Reply.json(405, errorBody(TokenEndpointError.invalidRequest("use POST")));
            reply.headers.put("Allow", "POST");
            return reply;
        }

        try {
            if (!isForm) {
                throw TokenEndpointError.invalidRequest("the body must be " + FORM);
            }
            if (formMalformed) {
                throw TokenEndpointError.invalidRequest("the form body has a malformed percent escape");
            }
            String repeated = form.repeatedName();
            if (repeated != null) {
                throw TokenEndpointError.invalidRequest("parameter '" + repeated + "' was sent more than once");
            }

            String clientId = clients.authenticate(presented, form);
            TokenLedger.Issued grant = grant(clientId, form);
            countIssue();
            return success(grant);
        } catch (TokenEndpointError e) {
            return error(e);
        }
    }

    private TokenLedger.Issued grant(String clientId, Form form) throws TokenEndpointError {
        String grantType = form.get("grant_type");
        if (grantType == null) {
            throw TokenEndpointError.invalidRequest("grant_type is missing");
        }

        switch (grantType) {
            case "refresh_token":
                String refreshToken = form.get("refresh_token");
                if (refreshToken == null || refreshToken.isEmpty()) {
                    throw TokenEndpointError.invalidRequest("refresh_token is missing");
                }
                return ledger.refresh(clientId, refreshToken, form.get("scope"));
            case "client_credentials":
                // RFC 6749 §4.4: only a confidential client may use this grant.
                if (clients.isPublic(clientId)) {
                    throw TokenEndpointError.unauthorizedClient("a public client may not use client_credentials");
                }
                return ledger.clientCredentials(clientId, form.get("scope"));
            default:
                throw TokenEndpointError.unsupportedGrantType("grant_type '" + grantType + "' is not supported");
        }
    }

    private static Reply success(TokenLedger.Issued grant) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("access_token", grant.accessToken);
        members.put("token_type", "Bearer");
        members.put("expires_in", grant.expiresInSeconds);
        members.put("refresh_token", grant.refreshToken);
        members.put("scope", grant.scope);
        return Reply.json(200, Json.object(members));
    }

    private static Reply error(TokenEndpointError error) {
        Reply reply = Reply.json(error.status(), errorBody(error));
        if (error.status() == 401) {
            reply.headers.put("WWW-Authenticate", "Basic realm=\"token\"");
        }
        return reply;
    }

    private static String errorBody(TokenEndpointError error) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("error", error.error());
        members.put("error_description", error.description());
        return Json.object(members);
    }

    private static void send(HttpExchange exchange, Reply reply, ScriptedResponse step) throws IOException {
        applyHeaders(exchange, reply, step);

        byte[] body = reply.body;
        boolean chunked = step != null && step.isChunked();
        if (body.length == 0) {
            exchange.sendResponseHeaders(reply.status, -1);
            return;
        }
        exchange.sendResponseHeaders(reply.status, chunked ? 0 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Promises {@code promisedLength} bytes, writes {@code written}, and lets the caller's close of
     * the exchange drop the connection: the JDK server closes the socket when a fixed-length body
     * ends short.
     */
    private static void writeTruncated(HttpExchange exchange, Reply reply, byte[] written, int promisedLength,
            ScriptedResponse step) throws IOException {
        applyHeaders(exchange, reply, step);
        exchange.sendResponseHeaders(reply.status, promisedLength);

        OutputStream out = exchange.getResponseBody();
        out.write(written);
        out.flush();
    }

    private static void applyHeaders(HttpExchange exchange, Reply reply, ScriptedResponse step) {
        Headers headers = exchange.getResponseHeaders();
        reply.headers.forEach(headers::set);
        if (step != null) {
            step.headers().forEach(headers::set);
        }
    }

    private TokenRequest record(HttpExchange exchange, Form form, ClientRegistry.Presented presented) {
        String refreshToken = form.get("refresh_token");
        TokenLedger.Lineage lineage = refreshToken == null ? null : ledger.lineage(refreshToken);

        Map<String, List<String>> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lowerName = name.toLowerCase(Locale.ROOT);
            headers.put(lowerName, "authorization".equals(lowerName)
                    ? List.of(TokenRequest.REDACTED) : values);
        });

        return new TokenRequest(ledger.clock().instant(), exchange.getRequestMethod(), form.get("grant_type"),
                presented.method, presented.clientId, form.names(), headers, form.get("scope"),
                lineage == null ? null : lineage.familyId(),
                lineage == null ? TokenRequest.NO_GENERATION : lineage.generation());
    }

    /** Records the arrival and hands out the next script step, or null for the normal answer. */
    private ScriptedResponse arrive(TokenRequest request) {
        lock.lock();
        try {
            requests.add(request);
            arrived.signalAll();
            return script.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    private void countIssue() {
        lock.lock();
        try {
            issued++;
        } finally {
            lock.unlock();
        }
    }

    void enqueue(List<ScriptedResponse> steps) {
        lock.lock();
        try {
            script.addAll(steps);
        } finally {
            lock.unlock();
        }
    }

    int scriptRemaining() {
        lock.lock();
        try {
            return script.size();
        } finally {
            lock.unlock();
        }
    }

    void clearScript() {
        lock.lock();
        try {
            script.clear();
        } finally {
            lock.unlock();
        }
    }

    List<TokenRequest> requests() {
        lock.lock();
        try {
            return List.copyOf(requests);
        } finally {
            lock.unlock();
        }
    }

    int requestCount() {
        lock.lock();
        try {
            return requests.size();
        } finally {
            lock.unlock();
        }
    }

    int requestCount(String grantType) {
        lock.lock();
        try {
            int count = 0;
            for (TokenRequest request : requests) {
                if (grantType.equals(request.grantType())) {
                    count++;
                }
            }
            return count;
        } finally {
            lock.unlock();
        }
    }

    int issuedCount() {
        lock.lock();
        try {
            return issued;
        } finally {
            lock.unlock();
        }
    }

    boolean awaitRequests(int count, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (requests.size() < count) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = arrived.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
