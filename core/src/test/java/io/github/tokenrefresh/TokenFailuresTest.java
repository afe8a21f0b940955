package io.github.tokenrefresh;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenFailuresTest {

    private static final TokenEndpointUnavailableException OUTAGE =
            new TokenEndpointUnavailableException("HTTP 503", 503, Duration.ofSeconds(2), null);
    private static final ReauthenticationRequiredException REVOKED =
            new ReauthenticationRequiredException("invalid_grant", "invalid_grant", null);
    private static final TokenEndpointProtocolException MALFORMED =
            new TokenEndpointProtocolException("not JSON", 200, null);
    private static final RefreshLoopException LOOP = new RefreshLoopException("loop", 6, Duration.ofSeconds(30));
    private static final ReplayRefusedException REFUSED = new ReplayRefusedException("refused",
            ReplayRefusal.REPLAY_LIMIT_REACHED, new TokenRejectedException("401"));
    private static final IOException RESOURCE_IO = new IOException("connection reset");

    /** failure, transient, terminal, replay refused, grant refused. */
    static Stream<Arguments> classification() {
        return Stream.of(
                Arguments.of(OUTAGE, true, false, false, false),
                Arguments.of(REVOKED, false, true, false, true),
                Arguments.of(MALFORMED, false, true, false, false),
                Arguments.of(LOOP, false, true, false, false),
                Arguments.of(REFUSED, false, true, true, false),
                Arguments.of(RESOURCE_IO, false, false, false, false),
                Arguments.of(new TokenRejectedException("401"), false, false, false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classification")
    @DisplayName("Each failure is classified as its isRetryable() says, bare and wrapped by async code")
    void shouldClassifyBareAndWrappedFailures(Throwable failure, boolean isTransient, boolean terminal,
            boolean replayRefused, boolean grantRefused) {
        for (Throwable seen : new Throwable[] {failure, new CompletionException(failure),
                new ExecutionException(new CompletionException(failure))}) {
            assertThat(TokenFailures.isTransient().test(seen)).as("transient %s", seen).isEqualTo(isTransient);
            assertThat(TokenFailures.isTerminal().test(seen)).as("terminal %s", seen).isEqualTo(terminal);
            assertThat(TokenFailures.isReplayRefused().test(seen)).as("refused %s", seen).isEqualTo(replayRefused);
            assertThat(TokenFailures.isGrantRefused().test(seen)).as("grant %s", seen).isEqualTo(grantRefused);
            assertThat(TokenFailures.isTokenFailure().test(seen)).as("token %s", seen)
                    .isEqualTo(isTransient || terminal);
        }
    }

    @Test
    @DisplayName("Null is no failure of any kind")
    void shouldMatchNothingForNull() {
        assertThat(TokenFailures.isTransient().test(null)).isFalse();
        assertThat(TokenFailures.isTerminal().test(null)).isFalse();
        assertThat(TokenFailures.isTokenFailure().test(null)).isFalse();
        assertThat(TokenFailures.retryOn(failure -> true).test(null)).isFalse();
        assertThat(TokenFailures.recordOn(failure -> true).test(null)).isFalse();
    }

    @Test
    @DisplayName("retryOn retries transient token failures, never terminal ones, and asks the caller about the rest")
    void shouldPutTokenClassificationBeforeTheCallersRule() {
        Predicate<Throwable> retryEverything = TokenFailures.retryOn(failure -> true);
        Predicate<Throwable> retryNothing = TokenFailures.retryOn(failure -> false);
        Predicate<Throwable> retryIo = TokenFailures.retryOn(IOException.class::isInstance);

        assertThat(retryEverything.test(REVOKED)).isFalse();
        assertThat(retryEverything.test(REFUSED)).isFalse();
        assertThat(retryEverything.test(new CompletionException(LOOP))).isFalse();
        assertThat(retryNothing.test(OUTAGE)).isTrue();
        assertThat(retryIo.test(new CompletionException(RESOURCE_IO))).isTrue();
        assertThat(retryIo.test(new IllegalStateException())).isFalse();
    }

    @Test
    @DisplayName("recordOn never records a token failure against a resource server, and asks the caller about the rest")
    void shouldNeverRecordTokenFailures() {
        Predicate<Throwable> recordEverything = TokenFailures.recordOn(failure -> true);

        assertThat(recordEverything.test(OUTAGE)).isFalse();
        assertThat(recordEverything.test(REVOKED)).isFalse();
        assertThat(recordEverything.test(new CompletionException(REFUSED))).isFalse();
        assertThat(recordEverything.test(RESOURCE_IO)).isTrue();
        assertThat(TokenFailures.recordOn(IOException.class::isInstance).test(new IllegalStateException())).isFalse();
    }

    @Test
    @DisplayName("The combinators refuse a null rule, naming it")
    void shouldRejectNullRules() {
        assertThatThrownBy(() -> TokenFailures.retryOn(null)).hasMessageContaining("otherFailures");
        assertThatThrownBy(() -> TokenFailures.recordOn(null)).hasMessageContaining("resourceFailures");
    }
}
