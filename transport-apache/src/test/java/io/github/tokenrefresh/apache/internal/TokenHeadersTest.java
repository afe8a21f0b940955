package io.github.tokenrefresh.apache.internal;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.TokenSet;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class TokenHeadersTest {

    private final TokenHeaders headers = new TokenHeaders();

    private static AccessToken token(String value, long version) {
        return TokenSet.builder().accessToken(value).version(version).build().accessToken();
    }

    private static HttpRequest request() {
        return new BasicHttpRequest("GET", URI.create("https://api.example.com/orders"));
    }

    @Test
    @DisplayName("Requests sending the same token share one header object; a new token gets a new one")
    void shouldBuildTheHeaderOncePerToken() {
        AccessToken first = token("token-one", 1);
        AccessToken second = token("token-two", 2);
        HttpRequest a = request();
        HttpRequest b = request();
        HttpRequest c = request();

        headers.attach(a, first);
        headers.attach(b, first);
        headers.attach(c, second);

        assertThat(b.getFirstHeader("Authorization")).isSameAs(a.getFirstHeader("Authorization"));
        assertThat(a.getFirstHeader("Authorization").getValue()).isEqualTo("Bearer token-one");
        assertThat(c.getFirstHeader("Authorization").getValue()).isEqualTo("Bearer token-two");
    }

    @Test
    @DisplayName("The policy's header replaces every Authorization header the caller set")
    void shouldReplaceCallerHeaders() {
        HttpRequest request = request();
        request.addHeader("Authorization", "Basic Y2FsbGVyOnNlY3JldA==");
        request.addHeader("Accept", "application/json");
        request.addHeader("Authorization", "Bearer stale");

        headers.attach(request, token("fresh", 1));

        assertThat(request.getHeaders("Authorization")).extracting(Header::getValue).containsExactly("Bearer fresh");
        assertThat(request.getFirstHeader("Accept").getValue()).isEqualTo("application/json");
    }

    @Test
    @DisplayName("The header is sensitive and never shows the token in toString")
    void shouldKeepTheTokenOutOfToString() {
        HttpRequest request = request();
        headers.attach(request, token("very-secret-value", 7));

        Header header = request.getFirstHeader("Authorization");

        assertThat(header.isSensitive()).isTrue();
        assertThat(header.toString()).doesNotContain("very-secret-value").contains("version 7");
        assertThat(TokenHeaders.isPolicyHeader(header)).isTrue();
    }

    @Test
    @DisplayName("Stripping removes the policy's header and keeps one the caller set")
    void shouldStripOnlyThePolicyHeader() {
        HttpRequest copied = request();
        headers.attach(copied, token("policy-token", 1));
        copied.addHeader("Authorization", "Basic Y2FsbGVyOnNlY3JldA==");

        TokenHeaders.stripPolicyToken(copied);

        assertThat(copied.getHeaders("Authorization")).extracting(Header::getValue)
                .containsExactly("Basic Y2FsbGVyOnNlY3JldA==");
    }
}
