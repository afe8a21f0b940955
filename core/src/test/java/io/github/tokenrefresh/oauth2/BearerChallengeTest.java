package io.github.tokenrefresh.oauth2;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BearerChallengeTest {

    @Test
    @DisplayName("Parses a Bearer challenge with quoted parameters in any order")
    void shouldParseQuotedParameters() {
        List<BearerChallenge> challenges = BearerChallenge.parse(
                "Bearer realm=\"example\", error=\"invalid_token\", error_description=\"The access token expired\"");

        assertThat(challenges).singleElement().satisfies(challenge -> {
            assertThat(challenge.realm()).contains("example");
            assertThat(challenge.error()).contains("invalid_token");
            assertThat(challenge.errorDescription()).contains("The access token expired");
        });
    }

    @Test
    @DisplayName("Parses token values, escapes in quoted strings, and mixed case scheme and parameter names")
    void shouldParseTokensAndEscapes() {
        BearerChallenge challenge = BearerChallenge.parse(
                "bEaReR Error=invalid_token, scope=\"a \\\"b\\\" c\"").get(0);

        assertThat(challenge.error()).contains("invalid_token");
        assertThat(challenge.scope()).contains("a \"b\" c");
    }

    @Test
    @DisplayName("Finds the Bearer challenge among several, including a token68 credential challenge")
    void shouldFindBearerAmongOtherSchemes() {
        List<BearerChallenge> challenges = BearerChallenge.parse(
                "Negotiate abc123==, Basic realm=\"legacy\", Bearer realm=\"api\", error=\"invalid_token\"");

        assertThat(challenges).singleElement()
                .satisfies(challenge -> assertThat(challenge.error()).contains("invalid_token"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", ",,,", "=", "\"unterminated", "Bearer error=\"unterminated", "Bearer ===,==",
            "Bearer realm", "\u0000\u0001Bearer", "Bearer error=, realm=\"x\""})
    @DisplayName("A 401 with a garbled challenge is still a token rejection, and parsing never throws")
    void shouldSurviveGarbage(String header) {
        assertThat(BearerChallenge.parse(header))
                .allSatisfy(challenge -> assertThat(challenge.parameters()).doesNotContainValue(null));
        assertThat(BearerChallenge.isTokenRejection(401, List.of(header))).isTrue();
        assertThat(BearerChallenge.isTokenRejection(403, List.of(header))).isFalse();
    }

    @Test
    @DisplayName("A header longer than the cap is cut, not parsed forever")
    void shouldCutVeryLongHeaders() {
        String header = "Bearer error=\"invalid_token\", " + "x=\"y\", ".repeat(100_000);

        assertThat(BearerChallenge.parse(header)).singleElement()
                .satisfies(challenge -> assertThat(challenge.error()).contains("invalid_token"));
    }

    @Test
    @DisplayName("401 with invalid_token, with a Bearer challenge without error, or without challenge is a rejection")
    void shouldClassifyTokenRejections() {
        assertThat(BearerChallenge.isTokenRejection(401, List.of("Bearer error=\"invalid_token\""))).isTrue();
        assertThat(BearerChallenge.isTokenRejection(401, List.of("Bearer realm=\"api\""))).isTrue();
        assertThat(BearerChallenge.isTokenRejection(401, List.of())).isTrue();
        assertThat(BearerChallenge.isTokenRejection(401, null)).isTrue();
        assertThat(BearerChallenge.isTokenRejection(401, List.of("Basic realm=\"x\"", "Bearer error=invalid_token")))
                .isTrue();
    }

    @Test
    @DisplayName("Other errors, other schemes and other statuses are not token rejections")
    void shouldNotClassifyOtherAnswersAsRejections() {
        assertThat(BearerChallenge.isTokenRejection(401, List.of("Bearer error=\"invalid_request\""))).isFalse();
        assertThat(BearerChallenge.isTokenRejection(401, List.of("Basic realm=\"legacy\""))).isFalse();
        assertThat(BearerChallenge.isTokenRejection(403, List.of("Bearer error=\"insufficient_scope\"")))
                .isFalse();
        assertThat(BearerChallenge.isTokenRejection(200, List.of())).isFalse();
    }

    @Test
    @DisplayName("403 insufficient_scope is recognised as such, and is no refresh trigger")
    void shouldRecogniseInsufficientScope() {
        List<String> header = List.of("Bearer error=\"insufficient_scope\", scope=\"orders.write\"");

        assertThat(BearerChallenge.isInsufficientScope(403, header)).isTrue();
        assertThat(BearerChallenge.isInsufficientScope(401, header)).isFalse();
        assertThat(BearerChallenge.isTokenRejection(403, header)).isFalse();
    }
}
