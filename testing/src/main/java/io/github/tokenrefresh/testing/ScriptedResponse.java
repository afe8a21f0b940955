package io.github.tokenrefresh.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link LoopbackTokenServer} does with one token request instead of its normal answer:
 * a step of the script given to {@link LoopbackTokenServer#enqueue(ScriptedResponse...)}.
 *
 * <p>A step either answers with a fixed response ({@link #body}, {@link #json}, {@link #error},
 * {@link #oversizedJson}), breaks the connection ({@link #disconnectBeforeResponse()},
 * {@link #disconnectMidResponse()}, {@link #grantThenDisconnect()}), or lets the normal answer
 * through ({@link #normal()}). Any step can be delayed with {@link #after(Duration)}; a delay is
 * real time, and closing the server ends it at once. For example, a 503 with a {@code Retry-After}
 * header that arrives two seconds late:
 *
 * <pre>{@code
 * ScriptedResponse.error(503, "temporarily_unavailable")
 *         .withHeader("Retry-After", "7")
 *         .after(Duration.ofSeconds(2))
 * }</pre>
 *
 * <p>A fixed response consumes no server state: a scripted success issues no token the server
 * would later accept. Only {@link #normal()} and {@link #grantThenDisconnect()} run the grant.
 *
 * <p>Thread-safety: immutable; the {@code with} methods return new instances.
 */
public final class ScriptedResponse {

    /** What the server does with the request. */
    enum Action { ANSWER, NORMAL, DISCONNECT_BEFORE_RESPONSE, DISCONNECT_MID_RESPONSE, GRANT_THEN_DISCONNECT }

    private static final String JSON = "application/json;charset=UTF-8";

    private final Action action;
    private final int status;
    private final String contentType;
    private final byte[] body;
    private final Map<String, String> headers;
    private final Duration delay;
    private final boolean chunked;

    private ScriptedResponse(Action action, int status, String contentType, byte[] body,
            Map<String, String> headers, Duration delay, boolean chunked) {
        this.action = action;
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.headers = headers;
        this.delay = delay;
        this.chunked = chunked;
    }

    /**
     * Returns a step that lets the server answer normally, running the grant; useful with
     * {@link #after(Duration)} and {@link #withHeader(String, String)}.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the pass-through step
     */
    public static ScriptedResponse normal() {
        return new ScriptedResponse(Action.NORMAL, 0, null, new byte[0], Map.of(), Duration.ZERO, false);
    }

    /**
     * Returns a step that answers normally after {@code delay} of real time; same as
     * {@code normal().after(delay)}.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param delay how long to wait before answering
     * @return the delayed pass-through step
     * @throws NullPointerException if {@code delay} is null
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static ScriptedResponse delayed(Duration delay) {
        return normal().after(delay);
    }

    /**
     * Returns a step that answers with the given status and body, such as an HTML error page from a
     * proxy or a 200 whose body is not JSON.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param status the HTTP status, 200 to 599
     * @param contentType the {@code Content-Type}, or null to send none
     * @param body the body, sent as UTF-8; empty for none
     * @return the step
     * @throws NullPointerException if {@code body} is null
     * @throws IllegalArgumentException if {@code status} is out of range
     */
    public static ScriptedResponse body(int status, String contentType, String body) {
        Objects.requireNonNull(body, "body");
        return new ScriptedResponse(Action.ANSWER, checkStatus(status), contentType,
                body.getBytes(StandardCharsets.UTF_8), Map.of(), Duration.ZERO, false);
    }

    /**
     * Returns a step that answers with a JSON body, taken as given so it may be malformed on
     * purpose: without {@code access_token}, with {@code "token_type":"mac"}, with a negative or
     * non-numeric {@code expires_in}.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param status the HTTP status, 200 to 599
     * @param json the body, sent as UTF-8 with {@code Content-Type: application/json}
     * @return the step
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalArgumentException if {@code status} is out of range
     */
    public static ScriptedResponse json(int status, String json) {
        return body(status, JSON, json);
    }

    /**
     * Returns a step that answers with an RFC 6749 §5.2 error body {@code {"error":"..."}}.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param status the HTTP status, 200 to 599
     * @param error the error code, such as {@code invalid_grant} or {@code temporarily_unavailable}
     * @return the step
     * @throws NullPointerException if {@code error} is null
     * @throws IllegalArgumentException if {@code status} is out of range
     */
    public static ScriptedResponse error(int status, String error) {
        return error(status, error, null);
    }

    /**
     * Returns a step that answers with an RFC 6749 §5.2 error body with a description.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param status the HTTP status, 200 to 599
     * @param error the error code
     * @param description the {@code error_description}, or null to leave it out
     * @return the step
     * @throws NullPointerException if {@code error} is null
     * @throws IllegalArgumentException if {@code status} is out of range
     */
    public static ScriptedResponse error(int status, String error, String description) {
        Objects.requireNonNull(error, "error");
        Map<String, String> members = new LinkedHashMap<>();
        members.put("error", error);
        members.put("error_description", description);
        return json(status, Json.object(members));
    }

    /**
     * Returns a step that answers 200 with a well-formed token response padded to exactly
     * {@code totalBytes}, to test a client's limit on the size of what it reads.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param totalBytes the body size in bytes
     * @return the step
     * @throws IllegalArgumentException if {@code totalBytes} is smaller than the unpadded response
     */
    public static ScriptedResponse oversizedJson(int totalBytes) {
        String head = "{\"access_token\":\"oversized\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                + "\"padding\":\"";
        String tail = "\"}";
        int padding = totalBytes - head.length() - tail.length();
        if (padding < 0) {
            throw new IllegalArgumentException("oversizedJson totalBytes must be at least "
                    + (head.length() + tail.length()) + ", got " + totalBytes);
        }
        return json(200, head + "x".repeat(padding) + tail);
    }

    /**
     * Returns a step that closes the connection without sending any response, as a crashed or
     * restarted server would.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the step
     */
    public static ScriptedResponse disconnectBeforeResponse() {
        return new ScriptedResponse(Action.DISCONNECT_BEFORE_RESPONSE, 0, null, new byte[0], Map.of(),
                Duration.ZERO, false);
    }

    /**
     * Returns a step that sends a 200 status with a {@code Content-Length} larger than the body it
     * writes, then closes the connection, so the client fails while reading the body. No grant is
     * run: no token changes hands.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the step
     */
    public static ScriptedResponse disconnectMidResponse() {
        return new ScriptedResponse(Action.DISCONNECT_MID_RESPONSE, 200, JSON, new byte[0], Map.of(),
                Duration.ZERO, false);
    }

    /**
     * Returns a step that runs the grant as normal, rotating the refresh token, then breaks the
     * connection halfway through the answer: the server has moved on, the client never learns the
     * new tokens. A client that retries with its old refresh token then trips reuse detection.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the step
     */
    public static ScriptedResponse grantThenDisconnect() {
        return new ScriptedResponse(Action.GRANT_THEN_DISCONNECT, 0, null, new byte[0], Map.of(),
                Duration.ZERO, false);
    }

    /**
     * Returns a copy that also sends the given response header, replacing an earlier value of the
     * same name; headers the server sets itself, such as {@code Content-Type}, are overridden.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param name the header name, such as {@code Retry-After}
     * @param value the header value
     * @return the new step
     * @throws NullPointerException if {@code name} or {@code value} is null
     * @throws IllegalArgumentException if the name is blank or either contains a line break
     */
    public ScriptedResponse withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isBlank() || hasLineBreak(name) || hasLineBreak(value)) {
            throw new IllegalArgumentException("header name must be non-blank and neither name nor value"
                    + " may contain a line break, got name '" + name + "'");
        }

        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ScriptedResponse(action, status, contentType, body, more, delay, chunked);
    }

    /**
     * Returns a copy that waits {@code delay} of real time before acting. Closing the server ends
     * the wait, and the request is then dropped without an answer.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param delay how long to wait
     * @return the new step
     * @throws NullPointerException if {@code delay} is null
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public ScriptedResponse after(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
        return new ScriptedResponse(action, status, contentType, body, headers, delay, chunked);
    }

    /**
     * Returns a copy that sends its body with chunked transfer encoding instead of a
     * {@code Content-Length}, so a client cannot learn the size before reading.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the new step
     */
    public ScriptedResponse chunked() {
        return new ScriptedResponse(action, status, contentType, body, headers, delay, true);
    }

    /**
     * Describes the step for test failure messages; bodies are given by size only.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return a description
     */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(action.name().toLowerCase(Locale.ROOT));
        if (action == Action.ANSWER) {
            parts.add("status=" + status);
            parts.add("bodyBytes=" + body.length);
        }
        if (!headers.isEmpty()) {
            parts.add("headers=" + headers);
        }
        if (!delay.isZero()) {
            parts.add("after=" + delay);
        }
        if (chunked) {
            parts.add("chunked");
        }
        return "ScriptedResponse" + parts;
    }

    Action action() {
        return action;
    }

    int status() {
        return status;
    }

    String contentType() {
        return contentType;
    }

    byte[] body() {
        return body.clone();
    }

    Map<String, String> headers() {
        return headers;
    }

    Duration delay() {
        return delay;
    }

    boolean isChunked() {
        return chunked;
    }

    private static int checkStatus(int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be between 200 and 599, got " + status);
        }
        return status;
    }

    private static boolean hasLineBreak(String text) {
        return text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0;
    }
}
