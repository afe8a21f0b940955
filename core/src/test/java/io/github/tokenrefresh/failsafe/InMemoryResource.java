package io.github.tokenrefresh.failsafe;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.TokenRejectedException;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resource server in memory for the core's Failsafe tests (the examples module runs the same orders over real
 * HTTP): it rejects revoked tokens either with a 401 reply or by throwing {@link TokenRejectedException}, can fail
 * with I/O errors, and records the token of every call.
 */
final class InMemoryResource {

    /** What the resource answers: a status and the token value it saw. */
    record Reply(int status, String token) {
    }

    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger ioFailures = new AtomicInteger();
    private volatile boolean rejectAll;

    InMemoryResource revoke(String token) {
        revoked.add(token);
        return this;
    }

    InMemoryResource rejectEveryToken() {
        rejectAll = true;
        return this;
    }

    InMemoryResource failWithIo(int times) {
        ioFailures.set(times);
        return this;
    }

    List<String> tokensSeen() {
        return seen;
    }

    /** Answers 401 for a rejected token. */
    Reply reply(AccessToken token) throws IOException {
        String value = token.value().reveal();
        seen.add(value);
        if (ioFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException("connection reset by the resource server");
        }
        return new Reply(rejectAll || revoked.contains(value) ? 401 : 200, value);
    }

    /** Throws {@link TokenRejectedException} for a rejected token. */
    Reply call(AccessToken token) throws IOException {
        Reply reply = reply(token);
        if (reply.status() == 401) {
            throw new TokenRejectedException("401 Bearer error=\"invalid_token\"");
        }
        return reply;
    }

    /** The asynchronous twin of {@link #call}. */
    CompletableFuture<Reply> callAsync(AccessToken token) {
        try {
            return CompletableFuture.completedFuture(call(token));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static boolean unauthorized(Reply reply) {
        return reply.status() == 401;
    }
}
