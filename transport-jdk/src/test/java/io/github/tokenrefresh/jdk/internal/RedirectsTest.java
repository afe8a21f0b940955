package io.github.tokenrefresh.jdk.internal;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient.Redirect;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The redirect rules as pure functions, for the cases a loopback server cannot show (https, odd Locations). */
class RedirectsTest {

    private static final URI HTTPS_PAGE = URI.create("https://api.example.com/v1/orders");

    private static HttpHeaders location(String value) {
        return HttpHeaders.of(Map.of("Location", List.of(value)), (name, v) -> true);
    }

    @Test
    @DisplayName("NORMAL never follows https to http; ALWAYS does; NORMAL upgrades http to https")
    void shouldApplyTheSchemeRuleOfTheRedirectPolicy() {
        HttpHeaders downgrade = location("http://api.example.com/v1/orders");

        assertThat(Redirects.target(Redirect.NORMAL, HTTPS_PAGE, 302, downgrade)).isNull();
        assertThat(Redirects.target(Redirect.ALWAYS, HTTPS_PAGE, 302, downgrade))
                .isEqualTo(URI.create("http://api.example.com/v1/orders"));
        assertThat(Redirects.target(Redirect.NORMAL, URI.create("http://api.example.com/x"), 301,
                location("https://api.example.com/x"))).isEqualTo(URI.create("https://api.example.com/x"));
        assertThat(Redirects.target(Redirect.NEVER, HTTPS_PAGE, 302, location("/elsewhere"))).isNull();
    }

    @Test
    @DisplayName("A relative Location is resolved against the URI the answer came from")
    void shouldResolveRelativeLocations() {
        assertThat(Redirects.target(Redirect.NORMAL, HTTPS_PAGE, 307, location("../v2/orders?page=2")))
                .isEqualTo(URI.create("https://api.example.com/v2/orders?page=2"));
    }

    @ParameterizedTest(name = "Location \"{0}\"")
    @ValueSource(strings = {"ftp://files.example.com/a", "https://exa mple.com/", "mailto:ops@example.com", "//"})
    @DisplayName("A Location that is malformed or not http(s) is not followed: the caller gets the redirect")
    void shouldNotFollowUnusableLocations(String value) {
        assertThat(Redirects.target(Redirect.ALWAYS, HTTPS_PAGE, 302, location(value))).isNull();
    }

    @ParameterizedTest(name = "status {0}")
    @ValueSource(ints = {200, 300, 304, 305, 306, 309, 401})
    @DisplayName("Only 301, 302, 303, 307 and 308 are followed")
    void shouldFollowOnlyRedirectStatuses(int status) {
        assertThat(Redirects.target(Redirect.ALWAYS, HTTPS_PAGE, status, location("/next"))).isNull();
    }

    @Test
    @DisplayName("A redirect without Location is not followed")
    void shouldNotFollowWithoutLocation() {
        assertThat(Redirects.target(Redirect.ALWAYS, HTTPS_PAGE, 302,
                HttpHeaders.of(Map.of(), (name, value) -> true))).isNull();
    }

    @Test
    @DisplayName("The next hop keeps every header within the origin and drops credentials across origins")
    void shouldFilterHeadersByOrigin() {
        HttpRequest request = HttpRequest.newBuilder(HTTPS_PAGE)
                .header("Authorization", "Basic abc")
                .header("Cookie", "a=b")
                .header("Accept", "application/json")
                .build();

        HttpRequest sameOrigin = Redirects.next(request, 302, URI.create("https://API.example.com:443/v2"));
        HttpRequest otherPort = Redirects.next(request, 302, URI.create("https://api.example.com:8443/v2"));

        assertThat(sameOrigin.headers().map()).containsKeys("Authorization", "Cookie", "Accept");
        assertThat(otherPort.headers().map()).containsOnlyKeys("Accept");
        assertThat(Redirects.sameOrigin(HTTPS_PAGE, URI.create("http://api.example.com/v1/orders"))).isFalse();
    }

    @Test
    @DisplayName("303 turns any method into a GET without body; 307 keeps PUT and its body")
    void shouldRewriteTheMethodLikeTheJdkClient() {
        HttpRequest put = HttpRequest.newBuilder(HTTPS_PAGE)
                .PUT(HttpRequest.BodyPublishers.ofString("x"))
                .build();

        HttpRequest seeOther = Redirects.next(put, 303, HTTPS_PAGE.resolve("/status"));
        HttpRequest temporary = Redirects.next(put, 307, HTTPS_PAGE.resolve("/v2"));

        assertThat(seeOther.method()).isEqualTo("GET");
        assertThat(seeOther.bodyPublisher()).isEmpty();
        assertThat(temporary.method()).isEqualTo("PUT");
        assertThat(temporary.bodyPublisher()).containsSame(put.bodyPublisher().orElseThrow());
    }
}
