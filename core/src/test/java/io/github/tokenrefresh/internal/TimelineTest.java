package io.github.tokenrefresh.internal;

import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineTest {

    private static final Instant ISSUED = Instant.parse("2030-01-01T00:00:00Z");

    private static TokenSet lasting(Duration lifetime) {
        return TokenSet.builder().accessToken("t").issuedAt(ISSUED).expiresAt(ISSUED.plus(lifetime)).build();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.25, 0.5, 0.999999})
    @DisplayName("Jitter moves the stale moment earlier by at most its share of the stale margin")
    void shouldKeepJitterWithinItsBound(double random) {
        TokenRefreshConfig config = TokenRefreshConfig.custom().refreshJitter(0.2).build();

        Timeline timeline = Timeline.of(lasting(Duration.ofHours(1)), ISSUED, config, random);

        Instant expiry = ISSUED.plus(Duration.ofHours(1));
        assertThat(timeline.staleAt)
                .isBetween(expiry.minus(Duration.ofMinutes(6)), expiry.minus(Duration.ofMinutes(5)));
        assertThat(Duration.between(timeline.staleAt, expiry.minus(Duration.ofMinutes(5))).toMillis())
                .isEqualTo((long) (Duration.ofMinutes(5).toMillis() * 0.2 * random));
        assertThat(timeline.expiredAt).isEqualTo(expiry.minusSeconds(30));
    }

    @Test
    @DisplayName("Margins are capped by fractions of the lifetime, so short tokens keep most of their life")
    void shouldCapMarginsByTheLifetime() {
        Timeline timeline = Timeline.of(lasting(Duration.ofSeconds(60)), ISSUED,
                TokenRefreshConfig.custom().refreshJitter(0).build(), 0.5);

        assertThat(timeline.staleAt).isEqualTo(ISSUED.plusSeconds(30));
        assertThat(timeline.expiredAt).isEqualTo(ISSUED.plusSeconds(54));
    }

    @Test
    @DisplayName("The stale moment never falls before the token was issued, whatever the jitter")
    void shouldNeverGoStaleBeforeIssue() {
        TokenRefreshConfig config = TokenRefreshConfig.custom()
                .staleThreshold(Duration.ofHours(1), 0.99).refreshJitter(1.0).build();

        Timeline timeline = Timeline.of(lasting(Duration.ofSeconds(10)), ISSUED, config, 0.999);

        assertThat(timeline.staleAt).isAfterOrEqualTo(ISSUED);
    }

    @Test
    @DisplayName("A token without a known expiry has no stale or expiry moment")
    void shouldHaveNoMomentsWithoutExpiry() {
        Timeline timeline = Timeline.of(TokenSet.builder().accessToken("t").build(), ISSUED,
                TokenRefreshConfig.ofDefaults(), 0.5);

        assertThat(timeline.staleAt).isNull();
        assertThat(timeline.expiredAt).isNull();
    }

    @Test
    @DisplayName("A lifetime too long to count in milliseconds still gets the absolute margins")
    void shouldHandleLifetimesBeyondLongMilliseconds() {
        TokenSet endless = TokenSet.builder().accessToken("t").issuedAt(Instant.MIN).expiresAt(Instant.MAX).build();

        Timeline timeline = Timeline.of(endless, ISSUED, TokenRefreshConfig.custom().refreshJitter(0).build(), 0.5);

        assertThat(timeline.staleAt).isEqualTo(Instant.MAX.minus(Duration.ofMinutes(5)));
        assertThat(timeline.expiredAt).isEqualTo(Instant.MAX.minusSeconds(30));
    }
}
