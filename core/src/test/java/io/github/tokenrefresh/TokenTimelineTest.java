package io.github.tokenrefresh;

import io.github.tokenrefresh.TokenRefreshPolicy.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TokenTimelineTest {

    private final PolicyFixture fixture = new PolicyFixture();

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    @DisplayName("A stale token keeps serving every caller at once while one background refresh runs")
    void shouldServeTheStaleTokenWhileRefreshingInTheBackground() {
        fixture.seed("token-1", Duration.ofHours(1));
        TokenRefreshPolicy policy = fixture.policy();
        fixture.grant.hold();

        fixture.clock.advance(Duration.ofMinutes(55));
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.grant.calls() == 1);
        assertThat(policy.getState()).isEqualTo(State.STALE);

        // The grant is held: a caller that waited for it could not return. All 64 return with the stale token.
        for (int i = 0; i < 64; i++) {
            String used = policy.executeSupplier(token -> token.value().reveal());
            assertThat(used).isEqualTo("token-1");
        }
        assertThat(policy.getMetrics().getNumberOfSuccessfulCallsWithoutRefresh()).isEqualTo(64);
        assertThat(policy.getMetrics().getNumberOfCoalescedCallers()).isZero();

        fixture.grant.release();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> policy.acquireToken().value().reveal().equals(ScriptedGrant.access(1)));
        assertThat(fixture.grant.calls()).isEqualTo(1);
        assertThat(fixture.grant.requests().get(0).trigger()).isEqualTo(RefreshTrigger.PROACTIVE);
        assertThat(policy.getState()).isEqualTo(State.FRESH);
    }

    @Test
    @DisplayName("A stale moment reached while a refresh is in flight joins it without counting as a waiting caller")
    void shouldNotCountTimersAsCoalescedCallers() {
        fixture.seed("token-1", Duration.ofHours(1));
        TokenRefreshPolicy policy = fixture.policy(fixture.config().refreshTimeout(Duration.ofHours(1)).build());
        fixture.grant.hold();

        var replacement = policy.refreshAfterRejectionAsync(policy.acquireToken());
        fixture.clock.advance(Duration.ofMinutes(55));
        fixture.grant.release();

        assertThat(replacement.join().value().reveal()).isEqualTo(ScriptedGrant.access(1));
        assertThat(fixture.grant.calls()).isEqualTo(1);
        assertThat(policy.getMetrics().getNumberOfCoalescedCallers()).isZero();
    }

    @Test
    @DisplayName("A 60-second token under the default thresholds is fresh on issue and stale only halfway")
    void shouldNotTreatAShortLivedTokenAsExpiredOnIssue() {
        fixture.seed("short", Duration.ofSeconds(60));
        TokenRefreshPolicy policy = fixture.policy();

        assertThat(policy.getState()).isEqualTo(State.FRESH);
        fixture.clock.advance(Duration.ofSeconds(29));
        assertThat(policy.getState()).isEqualTo(State.FRESH);
        assertThat(fixture.grant.calls()).isZero();

        fixture.grant.hold();
        fixture.clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.grant.calls() == 1);
        assertThat(policy.getState()).isEqualTo(State.STALE);

        // Expiry margin: min(30 s, 10% of 60 s) = 6 s before the end.
        fixture.clock.advance(Duration.ofSeconds(23));
        assertThat(policy.getState()).isEqualTo(State.STALE);
        fixture.clock.advance(Duration.ofSeconds(1));
        assertThat(policy.getState()).isEqualTo(State.EXPIRED);
        fixture.grant.release();
    }

    @Test
    @DisplayName("A one-hour token is refreshed ahead by the absolute stale margin of five minutes")
    void shouldRefreshALongLivedTokenByTheAbsoluteMargin() {
        fixture.seed("long", Duration.ofHours(1));
        TokenRefreshPolicy policy = fixture.policy();

        fixture.clock.advance(Duration.ofMinutes(55).minusMillis(1));
        assertThat(fixture.grant.calls()).isZero();
        assertThat(policy.getState()).isEqualTo(State.FRESH);

        fixture.clock.advance(Duration.ofMillis(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.grant.calls() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> policy.getState() == State.FRESH);
    }

    @Test
    @DisplayName("With jitter, each token's proactive refresh starts within its bound and not all at once")
    void shouldKeepJitteredRefreshesWithinTheirBound() {
        List<TokenRefreshPolicy> fleet = new ArrayList<>();
        List<ScriptedGrant> grants = new ArrayList<>();
        TokenRefreshConfig config = fixture.config().refreshJitter(0.2).build();
        for (int i = 0; i < 100; i++) {
            ScriptedGrant grant = new ScriptedGrant();
            TokenRefreshPolicy policy = TokenRefreshPolicy.of("fleet-" + i, config, grant);
            policy.supplyTokens(TokenSet.builder().accessToken("t" + i).refreshToken("r" + i)
                    .issuedAt(fixture.clock.instant()).expiresAt(fixture.clock.instant().plus(Duration.ofHours(1)))
                    .build());
            fleet.add(policy);
            grants.add(grant);
        }

        // Stale margin 5 min, jitter up to 20% of it: every refresh falls between 54:00 and 55:00.
        fixture.clock.advance(Duration.ofMinutes(54).minusMillis(1));
        assertThat(grants).allMatch(grant -> grant.calls() == 0);
        fixture.clock.advance(Duration.ofSeconds(30).plusMillis(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> callsOf(grants) > 0);
        int halfway = callsOf(grants);
        assertThat(halfway).isBetween(1, 99);
        fixture.clock.advance(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> callsOf(grants) == 100);
        fleet.forEach(TokenRefreshPolicy::close);
    }

    private static int callsOf(List<ScriptedGrant> grants) {
        return grants.stream().mapToInt(ScriptedGrant::calls).sum();
    }

    @Test
    @DisplayName("Expiry is measured from when the token request was sent, not from when the answer arrived")
    void shouldMeasureExpiryFromTheRequest() {
        TokenRefreshPolicy policy = fixture.policy();
        fixture.grant.hold().lifetime(Duration.ofSeconds(100));
        var token = policy.acquireTokenAsync();
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.grant.calls() == 1);
        var sentAt = fixture.clock.instant();

        fixture.clock.advance(Duration.ofSeconds(7));
        fixture.grant.release();

        assertThat(token.join().expiresAt()).contains(sentAt.plusSeconds(100));
    }

    @Test
    @DisplayName("A token without an expiry is served until a resource server rejects it")
    void shouldServeATokenWithoutExpiryUntilRejected() {
        fixture.grant.thenAnswer(TokenResponse.builder(Secret.of("endless")).build());
        TokenRefreshPolicy policy = fixture.policy();

        AccessToken token = policy.acquireToken();
        fixture.clock.advance(Duration.ofDays(365));

        assertThat(policy.acquireToken()).isSameAs(token);
        assertThat(policy.getState()).isEqualTo(State.FRESH);
        assertThat(policy.refreshAfterRejection(token).value().reveal()).isEqualTo(ScriptedGrant.access(2));
    }

    @Test
    @DisplayName("A closed policy stops renewing in the background and refuses calls")
    void shouldStopWhenClosed() {
        fixture.seed("token-1", Duration.ofHours(1));
        TokenRefreshPolicy policy = fixture.policy();

        policy.close();
        fixture.clock.advance(Duration.ofHours(2));

        assertThat(fixture.grant.calls()).isZero();
        assertThat(policy.getState()).isEqualTo(State.CLOSED);
        org.assertj.core.api.Assertions.assertThatThrownBy(policy::acquireToken)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'orders' is closed");
    }

    @Test
    @DisplayName("Tokens that expire centuries from now, or at the end of time, are loaded, supplied and served")
    void shouldServeTokensWithFarFutureExpiries() {
        fixture.seed("centuries", Duration.ofDays(365L * 1000));
        TokenRefreshPolicy policy = fixture.policy();
        assertThat(policy.acquireToken().value().reveal()).isEqualTo("centuries");
        assertThat(policy.getState()).isEqualTo(State.FRESH);

        policy.supplyTokens(TokenSet.builder().accessToken("forever").issuedAt(Instant.MIN).expiresAt(Instant.MAX)
                .build());

        assertThat(policy.acquireToken().value().reveal()).isEqualTo("forever");
        assertThat(policy.getState()).isEqualTo(State.FRESH);
        fixture.clock.advance(Duration.ofDays(365L * 100));
        assertThat(fixture.grant.calls()).isZero();
    }

    @Test
    @DisplayName("A lifetime beyond the calendar still stores the rotated refresh token and serves the new token")
    void shouldKeepATokenWhoseLifetimeOverflowsTheCalendar() {
        fixture.seed("token-1", Duration.ofHours(1));
        TokenRefreshPolicy policy = fixture.policy();
        fixture.grant.thenAnswer(TokenResponse.builder(Secret.of("endless"))
                .expiresIn(ChronoUnit.FOREVER.getDuration()).refreshToken(Secret.of("refresh-1")).build());

        AccessToken replacement = policy.refreshAfterRejection(policy.acquireToken());

        assertThat(replacement.value().reveal()).isEqualTo("endless");
        assertThat(replacement.expiresAt()).contains(Instant.MAX);
        assertThat(fixture.store.load("orders").orElseThrow().refreshToken()).contains(Secret.of("refresh-1"));
        assertThat(policy.acquireToken()).isSameAs(replacement);
    }
}
