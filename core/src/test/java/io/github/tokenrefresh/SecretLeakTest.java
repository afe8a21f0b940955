package io.github.tokenrefresh;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.github.tokenrefresh.oauth2.ClientAuthentication;
import io.github.tokenrefresh.oauth2.RefreshTokenGrant;
import io.github.tokenrefresh.oauth2.TokenEndpoint;
import io.github.tokenrefresh.oauth2.TokenEndpointRequest;
import io.github.tokenrefresh.oauth2.TokenEndpointTransport;
import io.github.tokenrefresh.store.InMemoryTokenStore;
import io.github.tokenrefresh.testing.LoopbackTokenServer;
import io.github.tokenrefresh.testing.ManualClock;
import io.github.tokenrefresh.testing.ManualScheduler;
import io.github.tokenrefresh.testing.ScriptedResponse;
import io.github.tokenrefresh.testing.TokenFamily;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives a policy through success, rotation, protocol errors, an outage and a terminal rejection over real HTTP, then
 * scans everything a user could see for any secret that was in play.
 */
class SecretLeakTest {

    private static final String CLIENT_SECRET = LoopbackTokenServer.DEFAULT_CLIENT_SECRET;

    private final LoopbackTokenServer server = LoopbackTokenServer.start();
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger libraryLogger = (Logger) LoggerFactory.getLogger("io.github.tokenrefresh");

    @BeforeEach
    void captureLogs() {
        logs.start();
        libraryLogger.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        libraryLogger.detachAppender(logs);
        server.close();
        scheduler.shutdownNow();
    }

    @Test
    @DisplayName("No token, refresh token or client secret appears in any toString, exception, event or log line")
    void shouldNeverRevealASecret() {
        TokenFamily family = server.issueFamily();
        Set<String> secrets = new LinkedHashSet<>(List.of(CLIENT_SECRET, family.accessToken(),
                family.refreshToken()));
        List<Object> visible = new CopyOnWriteArrayList<>();
        Consumer<Object> see = visible::add;

        TokenEndpointTransport realTransport = new io.github.tokenrefresh.oauth2.JdkTestTransportAccess().transport();
        TokenEndpointTransport recordingTransport = request -> {
            see.accept(request);
            return realTransport.send(request).thenApply(response -> {
                see.accept(response);
                return response;
            });
        };
        TokenEndpoint endpoint = TokenEndpoint.builder(server.tokenEndpoint())
                .clientAuthentication(ClientAuthentication.clientSecretBasic(LoopbackTokenServer.DEFAULT_CLIENT_ID,
                        Secret.of(CLIENT_SECRET)))
                .transport(recordingTransport)
                .build();
        RefreshTokenGrant grant = RefreshTokenGrant.builder(endpoint)
                .initialRefreshToken(Secret.of(family.refreshToken())).build();
        InMemoryTokenStore store = new InMemoryTokenStore(clock);
        TokenRefreshPolicy policy = TokenRefreshPolicy.of("orders", TokenRefreshConfig.custom().clock(clock)
                .scheduler(scheduler).backoff(Duration.ofSeconds(1), 1, Duration.ofSeconds(1)).build(), grant, store);
        policy.getEventPublisher().onEvent(see::accept);
        see.accept(grant);
        see.accept(endpoint);

        // Initial refresh, then a rejection-driven refresh with rotation.
        AccessToken first = policy.acquireToken();
        remember(secrets, policy, see);
        AccessToken second = policy.refreshAfterRejection(first);
        remember(secrets, policy, see);

        // A protocol error that quotes a token-like value, then an outage.
        server.enqueue(ScriptedResponse.json(200, "{\"access_token\":\"" + second.value().reveal()
                + "\",\"token_type\":\"mac\"}"));
        attempt(() -> policy.refreshAfterRejection(second), see);
        clock.advance(Duration.ofSeconds(1));
        server.enqueue(ScriptedResponse.error(503, "temporarily_unavailable").withHeader("Retry-After", "1"));
        attempt(() -> policy.refreshAfterRejection(second), see);
        clock.advance(Duration.ofSeconds(1));

        // A terminal rejection: the family is revoked behind the policy's back.
        server.revokeFamily(family.familyId());
        attempt(() -> policy.refreshAfterRejection(policy.acquireToken()), see);
        attempt(policy::acquireToken, see);
        attempt(() -> policy.executeSupplier(token -> {
            throw new TokenRejectedException("401");
        }), see);
        see.accept(policy);
        see.accept(policy.getConfig());
        see.accept(policy.getMetrics());
        see.accept(store);

        List<String> texts = new ArrayList<>();
        for (Object thing : visible) {
            texts.add(thing instanceof Throwable ? stackTrace((Throwable) thing) : String.valueOf(thing));
        }
        for (ILoggingEvent event : logs.list) {
            texts.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                texts.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }

        assertThat(visible).hasSizeGreaterThan(15);
        assertThat(logs.list).isNotEmpty();
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(5);
        for (String text : texts) {
            for (String secret : secrets) {
                assertThat(text).as("visible text").doesNotContain(secret);
            }
        }
    }

    private static void remember(Set<String> secrets, TokenRefreshPolicy policy, Consumer<Object> see) {
        TokenSet tokens = policy.currentTokens().orElseThrow();
        secrets.add(tokens.accessToken().value().reveal());
        tokens.refreshToken().ifPresent(refresh -> secrets.add(refresh.reveal()));
        see.accept(tokens);
        see.accept(tokens.accessToken());
    }

    private static void attempt(Runnable action, Consumer<Object> see) {
        try {
            action.run();
        } catch (RuntimeException e) {
            see.accept(e);
        }
    }

    private static String stackTrace(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
