package io.github.tokenrefresh;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest {

    @Test
    @DisplayName("Defaults are the documented constants")
    void shouldUseDocumentedDefaults() {
        TokenRefreshConfig config = TokenRefreshConfig.ofDefaults();

        assertThat(config.getStaleMargin()).isEqualTo(TokenRefreshConfig.DEFAULT_STALE_MARGIN);
        assertThat(config.getExpiryMargin()).isEqualTo(TokenRefreshConfig.DEFAULT_EXPIRY_MARGIN);
        assertThat(config.getRefreshTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.getMaxReplays()).isEqualTo(1);
        assertThat(config.getLoopGuardMaxRefreshes()).isEqualTo(5);
        assertThat(config.getLoopGuardWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.getAllowedOrigins()).isEmpty();
    }

    @Test
    @DisplayName("from(base) copies every option and leaves the base unchanged")
    void shouldCopyFromABase() {
        TokenRefreshConfig base = TokenRefreshConfig.custom().maxReplays(2).allowedOrigins("https://api.example.com")
                .build();

        TokenRefreshConfig derived = TokenRefreshConfig.from(base).refreshTimeout(Duration.ofSeconds(3)).build();

        assertThat(derived.getMaxReplays()).isEqualTo(2);
        assertThat(derived.getAllowedOrigins()).isEqualTo(base.getAllowedOrigins());
        assertThat(derived.getRefreshTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(base.getRefreshTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    @DisplayName("Each bad option is refused with a message naming the option and the value")
    void shouldNameTheBadOption() {
        assertThatThrownBy(() -> TokenRefreshConfig.custom().refreshTimeout(Duration.ZERO))
                .hasMessage("refreshTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> TokenRefreshConfig.custom().staleThreshold(Duration.ofMinutes(1), 1.5))
                .hasMessage("staleThreshold fraction must be within (0, 1), was 1.5");
        assertThatThrownBy(() -> TokenRefreshConfig.custom().expiryThreshold(Duration.ofSeconds(-1), 0.1))
                .hasMessage("expiryThreshold margin must not be negative, was PT-1S");
        assertThatThrownBy(() -> TokenRefreshConfig.custom().refreshJitter(Double.NaN))
                .hasMessage("refreshJitter must be within [0, 1], was NaN");
        assertThatThrownBy(() -> TokenRefreshConfig.custom().maxReplays(-1))
                .hasMessage("maxReplays must be within [0, 10], was -1");
        assertThatThrownBy(() -> TokenRefreshConfig.custom().loopGuard(0, Duration.ofSeconds(1)))
                .hasMessage("loopGuard maxRefreshes must be at least 1, was 0");
        assertThatThrownBy(() -> TokenRefreshConfig.custom().backoff(Duration.ofSeconds(5), 2, Duration.ofSeconds(1)))
                .hasMessage("backoff max PT1S is shorter than initial PT5S");
        assertThatThrownBy(() -> TokenRefreshConfig.custom().backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(9)))
                .hasMessage("backoff multiplier must be at least 1, was 0.5");
        assertThatThrownBy(() -> TokenRefreshConfig.custom().clock(null)).hasMessage("clock must not be null");
        assertThatThrownBy(() -> TokenRefreshConfig.custom()
                .staleThreshold(Duration.ofSeconds(10), 0.5).expiryThreshold(Duration.ofSeconds(20), 0.1).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must not exceed the stale threshold");
    }

    @Test
    @DisplayName("Plain-http origins are refused unless loopback; origins must not carry a path")
    void shouldValidateOrigins() {
        assertThatThrownBy(() -> TokenRefreshConfig.custom().allowedOrigins("http://api.example.com"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("uses plain http");
        assertThatThrownBy(() -> TokenRefreshConfig.custom().allowedOrigins("https://api.example.com/v1"))
                .hasMessageContaining("without path");
        assertThatThrownBy(() -> TokenRefreshConfig.custom().allowedOrigins("ftp://api.example.com"))
                .hasMessageContaining("http or https");
        assertThat(TokenRefreshConfig.custom().allowedOrigins("http://127.0.0.1:8080", "http://localhost:1",
                "http://[::1]:9").build().getAllowedOrigins()).hasSize(3);
    }

    @Test
    @DisplayName("permitsToken matches scheme, host and default port exactly")
    void shouldPermitOnlyAllowedOrigins() {
        TokenRefreshConfig config = TokenRefreshConfig.custom()
                .allowedOrigins("https://API.example.com", "http://127.0.0.1:8080").build();

        assertThat(config.permitsToken(URI.create("https://api.example.com/orders?x=1"))).isTrue();
        assertThat(config.permitsToken(URI.create("https://api.example.com:443/"))).isTrue();
        assertThat(config.permitsToken(URI.create("http://127.0.0.1:8080/x"))).isTrue();
        assertThat(config.permitsToken(URI.create("http://api.example.com/orders"))).isFalse();
        assertThat(config.permitsToken(URI.create("https://api.example.com:8443/"))).isFalse();
        assertThat(config.permitsToken(URI.create("https://evil.example.com/"))).isFalse();
        assertThat(config.permitsToken(URI.create("https://api.example.com.evil.com/"))).isFalse();
        assertThat(config.permitsToken(URI.create("http://127.0.0.1:8081/"))).isFalse();
        assertThat(config.permitsToken(URI.create("/relative"))).isFalse();
        assertThat(config.permitsToken(null)).isFalse();
    }

    @Test
    @DisplayName("Loopback detection takes only 127/8, localhost and ::1, without resolving names")
    void shouldRecogniseLoopbackHosts() {
        assertThat(Origin.parse("http://127.0.0.1").isLoopback()).isTrue();
        assertThat(Origin.parse("http://127.255.0.9").isLoopback()).isTrue();
        assertThat(Origin.parse("http://localhost").isLoopback()).isTrue();
        assertThat(Origin.parse("http://[::1]").isLoopback()).isTrue();
        assertThat(Origin.parse("https://127.0.0.1.example.com").isLoopback()).isFalse();
        assertThat(Origin.parse("https://128.0.0.1").isLoopback()).isFalse();
        assertThat(Origin.parse("https://127.0.0.1000.example").isLoopback()).isFalse();
        assertThatThrownBy(() -> Origin.parse("https://127.0.0.256")).hasMessageContaining("must name a host");
    }
}
