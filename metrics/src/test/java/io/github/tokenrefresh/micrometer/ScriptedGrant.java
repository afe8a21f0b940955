package io.github.tokenrefresh.micrometer;

import io.github.tokenrefresh.GrantRequest;
import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenGrant;
import io.github.tokenrefresh.TokenResponse;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An in-memory {@link TokenGrant}: issues numbered tokens ({@code access-1}, …) that live one hour, answers from a
 * script of failures first, and can hold its answers until released.
 */
final class ScriptedGrant implements TokenGrant {

    static final Duration LIFETIME = Duration.ofHours(1);

    private final AtomicInteger calls = new AtomicInteger();
    private final ConcurrentLinkedQueue<Supplier<CompletionStage<TokenResponse>>> script =
            new ConcurrentLinkedQueue<>();
    private final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
    private volatile boolean holding;

    /** The next call fails with {@code failure}. */
    ScriptedGrant thenFail(RuntimeException failure) {
        script.add(() -> CompletableFuture.failedFuture(failure));
        return this;
    }

    /** The next call answers with {@code stage}, as given. */
    ScriptedGrant thenReturn(CompletionStage<TokenResponse> stage) {
        script.add(() -> stage);
        return this;
    }

    /** Answers of later calls wait until {@link #release()}. */
    ScriptedGrant hold() {
        holding = true;
        return this;
    }

    /** Lets every held answer through and stops holding. */
    void release() {
        holding = false;
        held.forEach(gate -> gate.complete(null));
    }

    int calls() {
        return calls.get();
    }

    @Override
    public CompletionStage<TokenResponse> requestTokens(GrantRequest request) {
        int number = calls.incrementAndGet();
        Supplier<CompletionStage<TokenResponse>> scripted = script.poll();
        CompletionStage<TokenResponse> answer = scripted != null
                ? scripted.get()
                : CompletableFuture.completedFuture(tokens(number));
        if (!holding || answer == null) {
            return answer;
        }
        CompletableFuture<Void> gate = new CompletableFuture<>();
        held.add(gate);
        return gate.thenCompose(ignored -> answer);
    }

    static String access(int number) {
        return "access-" + number;
    }

    private static TokenResponse tokens(int number) {
        return TokenResponse.builder(Secret.of(access(number)))
                .expiresIn(LIFETIME)
                .refreshToken(Secret.of("refresh-" + number))
                .build();
    }
}
