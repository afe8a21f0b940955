package io.github.tokenrefresh.apache.internal;

import io.github.tokenrefresh.TokenRefreshConfig;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.net.URIAuthority;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class TokenDestinationsTest {

    private final TokenDestinations destinations = new TokenDestinations(TokenRefreshConfig.custom()
            .allowedOrigins("https://api.example.com", "http://127.0.0.1:8080")
            .build());

    private static HttpRoute route(String target) {
        return new HttpRoute(HttpHost.create(URI.create(target)));
    }

    private static HttpRequest request(String uri) {
        return new BasicHttpRequest("GET", URI.create(uri));
    }

    @Test
    @DisplayName("An allowed origin gets the token, with the default port written or not")
    void shouldPermitAnAllowedOrigin() {
        assertThat(destinations.permits(request("https://api.example.com/orders"),
                route("https://api.example.com:443"))).isTrue();
        assertThat(destinations.permits(request("https://API.example.com:443/orders"),
                route("https://api.example.com:443"))).isTrue();
        assertThat(destinations.permits(request("http://127.0.0.1:8080/orders"), route("http://127.0.0.1:8080")))
                .isTrue();
    }

    @Test
    @DisplayName("Another scheme, host or port is another origin")
    void shouldRefuseOtherOrigins() {
        assertThat(destinations.permits(request("http://api.example.com/orders"), route("http://api.example.com:80")))
                .isFalse();
        assertThat(destinations.permits(request("https://evil.example.com/orders"),
                route("https://evil.example.com:443"))).isFalse();
        assertThat(destinations.permits(request("https://api.example.com:8443/orders"),
                route("https://api.example.com:8443"))).isFalse();
        assertThat(destinations.permits(request("http://127.0.0.1:9090/orders"), route("http://127.0.0.1:9090")))
                .isFalse();
    }

    @Test
    @DisplayName("A request that names another authority than its connection's target needs both to be allowed")
    void shouldCheckBothTargetAndAuthority() {
        HttpRequest misdirected = request("https://api.example.com/orders");
        misdirected.setAuthority(new URIAuthority("evil.example.com"));
        HttpRequest toAllowedHost = request("https://evil.example.com/orders");
        toAllowedHost.setAuthority(new URIAuthority("api.example.com"));

        assertThat(destinations.permits(misdirected, route("https://api.example.com:443"))).isFalse();
        assertThat(destinations.permits(toAllowedHost, route("https://evil.example.com:443"))).isFalse();
    }

    @Test
    @DisplayName("A request without scheme and authority is judged by its route")
    void shouldJudgeARelativeRequestByItsRoute() {
        HttpRequest relative = new BasicHttpRequest("GET", "/orders");

        assertThat(destinations.permits(relative, route("https://api.example.com:443"))).isTrue();
        assertThat(destinations.permits(relative, route("https://evil.example.com:443"))).isFalse();
    }
}
