package io.github.tokenrefresh.oauth2;

import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenEndpointProtocolException;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenSet;
import io.github.tokenrefresh.store.InMemoryTokenStore;
import io.github.tokenrefresh.testing.LoopbackTokenServer;
import io.github.tokenrefresh.testing.ManualClock;
import io.github.tokenrefresh.testing.ManualScheduler;
import io.github.tokenrefresh.testing.ScriptedResponse;
import io.github.tokenrefresh.testing.TokenFamily;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Malformed answers from a real HTTP token endpoint: each is a protocol error with a clear message, and the policy
 * keeps the token it has.
 */
class MalformedTokenResponseTest {

    private final LoopbackTokenServer server = LoopbackTokenServer.start();
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);

    @AfterEach
    void tearDown() {
        server.close();
        scheduler.shutdownNow();
    }

    static Stream<Arguments> malformedAnswers() {
        return Stream.of(
                Arguments.of("not JSON", ScriptedResponse.body(200, "text/plain", "access_token=abc"),
                        "is not valid JSON at line 1, column 1 (Content-Type text/plain)"),
                Arguments.of("a JSON array", ScriptedResponse.json(200, "[\"abc\"]"), "is not a JSON object"),
                Arguments.of("an HTML error page", ScriptedResponse.body(200, "text/html",
                        "<html><body>Gateway error</body></html>"), "Content-Type text/html"),
                Arguments.of("an HTML 400 page", ScriptedResponse.body(400, "text/html", "<html>bad</html>"),
                        "without an OAuth2 error object"),
                Arguments.of("truncated JSON", ScriptedResponse.json(200, "{\"access_token\":\"abc"),
                        "is not valid JSON"),
                Arguments.of("no access_token", ScriptedResponse.json(200,
                        "{\"token_type\":\"Bearer\",\"expires_in\":3600}"), "has no access_token"),
                Arguments.of("a non-Bearer token_type", ScriptedResponse.json(200,
                        "{\"access_token\":\"abc\",\"token_type\":\"mac\",\"expires_in\":3600}"),
                        "token_type 'mac'"),
                Arguments.of("a negative expires_in", ScriptedResponse.json(200,
                        "{\"access_token\":\"abc\",\"token_type\":\"Bearer\",\"expires_in\":-5}"),
                        "expires_in -5"),
                Arguments.of("a non-numeric expires_in", ScriptedResponse.json(200,
                        "{\"access_token\":\"abc\",\"token_type\":\"Bearer\",\"expires_in\":\"soon\"}"),
                        "expires_in 'soon'"),
                Arguments.of("a body over the cap", ScriptedResponse.oversizedJson(200_000),
                        "over the 65536-byte cap"),
                Arguments.of("content after the object", ScriptedResponse.json(200,
                        "{\"access_token\":\"abc\",\"token_type\":\"Bearer\"} {}"), "content after the JSON"),
                Arguments.of("an unknown error code", ScriptedResponse.error(400, "made_up_error"),
                        "unknown code 'made_up_error'"),
                Arguments.of("a number longer than the parser allows", ScriptedResponse.json(200,
                        "{\"access_token\":\"abc\",\"token_type\":\"Bearer\",\"expires_in\":"
                                + "9".repeat(40) + "}"), "exceeds what the reader accepts"),
                Arguments.of("nesting deeper than the parser allows", ScriptedResponse.json(200,
                        "{\"access_token\":\"abc\",\"token_type\":\"Bearer\",\"x\":" + "[".repeat(40)
                                + "]".repeat(40) + "}"), "exceeds what the reader accepts"),
                Arguments.of("an error answer nested deeper than the parser allows", ScriptedResponse.json(400,
                        "{\"error\":\"invalid_grant\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}"),
                        "without an OAuth2 error object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedAnswers")
    void shouldReportAProtocolErrorAndKeepTheCurrentToken(String what, ScriptedResponse answer, String message) {
        TokenFamily family = server.issueFamily();
        TokenEndpoint endpoint = TokenEndpoint.builder(server.tokenEndpoint())
                .clientAuthentication(ClientAuthentication.clientSecretBasic(LoopbackTokenServer.DEFAULT_CLIENT_ID,
                        Secret.of(LoopbackTokenServer.DEFAULT_CLIENT_SECRET)))
                .transport(new JdkTestTransport())
                .build();
        InMemoryTokenStore store = new InMemoryTokenStore(clock);
        store.compareAndSet("orders", 0, TokenSet.builder().accessToken(family.accessToken())
                .refreshToken(family.refreshToken()).issuedAt(clock.instant())
                .expiresAt(clock.instant().plus(Duration.ofHours(1))).version(1).build());
        TokenRefreshPolicy policy = TokenRefreshPolicy.of("orders", TokenRefreshConfig.custom().clock(clock)
                .scheduler(scheduler).build(), RefreshTokenGrant.builder(endpoint).build(), store);
        server.enqueue(answer);

        var current = policy.acquireToken();
        assertThatThrownBy(() -> policy.refreshAfterRejection(current))
                .isInstanceOf(TokenEndpointProtocolException.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining(family.refreshToken())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("abc"));

        assertThat(policy.acquireToken()).isSameAs(current);
        assertThat(store.load("orders").orElseThrow().version()).isEqualTo(1);
    }
}
