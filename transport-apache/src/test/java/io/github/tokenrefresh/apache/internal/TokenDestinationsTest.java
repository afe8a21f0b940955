package io.github.tokenrefresh.apache.internal;

import io.github.tokenrefresh.TokenRefreshConfig;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.RouteInfo.LayerType;
import org.apache.hc.client5.http.RouteInfo.TunnelType;
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

    @Test
    @DisplayName("A Host header that names another authority than the target needs that authority to be allowed")
    void shouldCheckTheHostHeader() {
        HttpRoute api = route("https://api.example.com:443");

        assertThat(destinations.permits(withHost("https://api.example.com/orders", "evil.example.com"), api))
                .isFalse();
        assertThat(destinations.permits(withHost("https://api.example.com/orders", "api.example.com:8443"), api))
                .isFalse();
        assertThat(destinations.permits(withHost("https://api.example.com/orders", "not a host"), api)).isFalse();
        assertThat(destinations.permits(withHost("https://api.example.com/orders", "API.example.com"), api))
                .isTrue();
        assertThat(destinations.permits(withHost("https://api.example.com/orders", "api.example.com:443"), api))
                .isTrue();
        assertThat(destinations.permits(withHost("http://127.0.0.1:8080/orders", "127.0.0.1:8080"),
                route("http://127.0.0.1:8080"))).isTrue();

        TokenDestinations ipv6 = new TokenDestinations(TokenRefreshConfig.custom()
                .allowedOrigins("http://[::1]:8080")
                .build());
        assertThat(ipv6.permits(withHost("http://[::1]:8080/orders", "[::1]:8080"), route("http://[::1]:8080")))
                .isTrue();
        assertThat(ipv6.permits(withHost("http://[::1]:8080/orders", "[::2]:8080"), route("http://[::1]:8080")))
                .isFalse();
    }

    @Test
    @DisplayName("A proxy off this host never gets the token in the clear; a TLS tunnel through it carries the token")
    void shouldCheckTheProxiesOfTheRoute() {
        HttpHost loopback = new HttpHost("http", "127.0.0.1", 8080);
        HttpHost api = new HttpHost("https", "api.example.com", 443);
        HttpHost remoteProxy = new HttpHost("http", "proxy.example.com", 3128);
        HttpHost localProxy = new HttpHost("http", "localhost", 3128);

        assertThat(destinations.permits(request("http://127.0.0.1:8080/orders"),
                new HttpRoute(loopback, remoteProxy))).isFalse();
        assertThat(destinations.permits(request("http://127.0.0.1:8080/orders"),
                new HttpRoute(loopback, localProxy))).isTrue();
        assertThat(destinations.permits(request("https://api.example.com/orders"),
                new HttpRoute(api, null, remoteProxy, true))).isTrue();
        assertThat(destinations.permits(request("https://api.example.com/orders"), new HttpRoute(api, null,
                new HttpHost[] {remoteProxy}, true, TunnelType.PLAIN, LayerType.PLAIN))).isFalse();
        assertThat(destinations.permits(request("http://127.0.0.1:8080/orders"), new HttpRoute(loopback, null,
                new HttpHost[] {localProxy, remoteProxy}, false, TunnelType.PLAIN, LayerType.PLAIN))).isFalse();
    }

    private static HttpRequest withHost(String uri, String host) {
        HttpRequest request = request(uri);
        request.addHeader("Host", host);
        return request;
    }
}
