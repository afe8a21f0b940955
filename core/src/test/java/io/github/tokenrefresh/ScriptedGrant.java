package io.github.tokenrefresh;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-memory {@link TokenGrant} for policy tests: it issues numbered tokens ({@code access-1}, {@code refresh-1},
 * …), counts and records its calls, can hold its answers until released, and can answer from a script of failures.
 */
public final class ScriptedGrant implements TokenGrant {

    private final AtomicInteger calls = new AtomicInteger();
    private final List<GrantRequest> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Function<GrantRequest, CompletionStage<TokenResponse>>> script =
            new ConcurrentLinkedQueue<>();
    private final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
    private volatile boolean holding;
    private volatile Duration lifetime = Duration.ofHours(1);
    private volatile boolean rotate = true;

    /** Answers of later calls wait until {@link #release()}. */
    public ScriptedGrant hold() {
        holding = true;
        return this;
    }

    /** Lets every held answer through and stops holding. */
    public void release() {
        holding = false;
        held.forEach(gate -> gate.complete(null));
    }

    public ScriptedGrant lifetime(Duration lifetime) {
        this.lifetime = lifetime;
        return this;
    }

    public ScriptedGrant rotate(boolean rotate) {
        this.rotate = rotate;
        return this;
    }

    /** The next call answers with this failure instead of tokens. */
    public ScriptedGrant thenFail(RuntimeException failure) {
        script.add(request -> CompletableFuture.failedFuture(failure));
        return this;
    }

    /** The next call answers with this response. */
    public ScriptedGrant thenAnswer(TokenResponse response) {
        script.add(request -> CompletableFuture.completedFuture(response));
        return this;
    }

    public int calls() {
        return calls.get();
    }

    public List<GrantRequest> requests() {
        return requests;
    }

    @Override
    public CompletionStage<TokenResponse> requestTokens(GrantRequest request) {
        int number = calls.incrementAndGet();
        requests.add(request);
        Function<GrantRequest, CompletionStage<TokenResponse>> scripted = script.poll();
        CompletionStage<TokenResponse> answer = scripted != null
                ? scripted.apply(request)
                : CompletableFuture.completedFuture(tokens(number));
        if (!holding) {
            return answer;
        }
        CompletableFuture<Void> gate = new CompletableFuture<>();
        held.add(gate);
        return gate.thenCompose(ignored -> answer);
    }

    private TokenResponse tokens(int number) {
        TokenResponse.Builder builder = TokenResponse.builder(Secret.of("access-" + number)).expiresIn(lifetime);
        if (rotate) {
            builder.refreshToken(Secret.of("refresh-" + number));
        }
        return builder.build();
    }

    /** The value of the access token the n-th call issued. */
    public static String access(int number) {
        return "access-" + number;
    }
}
