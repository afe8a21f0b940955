package io.github.tokenrefresh.benchmarks;

import io.github.tokenrefresh.GrantRequest;
import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenGrant;
import io.github.tokenrefresh.TokenResponse;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A grant that answers at once with a new one-hour token and counts its calls, so a benchmark measures the policy
 * and not a token endpoint.
 */
final class InstantGrant implements TokenGrant {

    private final AtomicLong calls = new AtomicLong();

    @Override
    public CompletionStage<TokenResponse> requestTokens(GrantRequest request) {
        long number = calls.incrementAndGet();
        return CompletableFuture.completedFuture(TokenResponse.builder(Secret.of("benchmark-token-" + number))
                .expiresIn(Duration.ofHours(1))
                .refreshToken(Secret.of("benchmark-refresh-" + number))
                .build());
    }

    long calls() {
        return calls.get();
    }
}
