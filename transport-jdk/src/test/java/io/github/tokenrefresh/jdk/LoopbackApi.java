package io.github.tokenrefresh.jdk;

import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenSet;
import io.github.tokenrefresh.event.TokenRefreshEvent;
import io.github.tokenrefresh.oauth2.ClientAuthentication;
import io.github.tokenrefresh.oauth2.RefreshTokenGrant;
import io.github.tokenrefresh.oauth2.TokenEndpoint;
import io.github.tokenrefresh.testing.LoopbackResourceServer;
import io.github.tokenrefresh.testing.LoopbackTokenServer;
import io.github.tokenrefresh.testing.ManualClock;
import io.github.tokenrefresh.testing.ManualScheduler;
import io.github.tokenrefresh.testing.TokenFamily;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A token server and a resource server on loopback that share a manual clock with the policy, a policy whose tokens
 * come from that token server through {@link JdkTokenEndpointTransport}, and a plain JDK client to decorate.
 * Advancing {@link #clock} expires tokens at the servers and runs the policy's timers on {@link #scheduler} that
 * fall due on the way. A policy configured with {@link #lateTimers} instead has timers that never fire, as in a
 * suspended VM: it learns of an expiry only from the resource server's 401.
 */
final class LoopbackApi implements AutoCloseable {

    static final String POLICY = "orders";

    final ManualClock clock = new ManualClock();
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final ManualScheduler lateTimers = new ManualScheduler(new ManualClock());
    final LoopbackTokenServer tokens = LoopbackTokenServer.builder().clock(clock).start();
    final LoopbackResourceServer api = LoopbackResourceServer.start(tokens);
    final HttpClient jdk = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final List<TokenRefreshEvent> events = new CopyOnWriteArrayList<>();
    final TokenFamily family = tokens.issueFamily();

    private final List<AutoCloseable> resources = new ArrayList<>();

    TokenRefreshConfig.Builder config() {
        return TokenRefreshConfig.custom()
                .clock(clock)
                .scheduler(scheduler)
                .refreshJitter(0.0)
                .allowedOrigin(api.baseUri());
    }

    TokenRefreshPolicy policy() {
        return policy(config().build());
    }

    /** A policy that starts with the family's tokens, as right after a login. */
    TokenRefreshPolicy policy(TokenRefreshConfig config) {
        TokenEndpoint endpoint = TokenEndpoint.builder(tokens.tokenEndpoint())
                .clientAuthentication(ClientAuthentication.clientSecretBasic(LoopbackTokenServer.DEFAULT_CLIENT_ID,
                        Secret.of(LoopbackTokenServer.DEFAULT_CLIENT_SECRET)))
                .transport(JdkTokenEndpointTransport.create())
                .clock(clock)
                .build();
        TokenRefreshPolicy policy = TokenRefreshPolicy.of(POLICY, config, RefreshTokenGrant.builder(endpoint).build());
        policy.getEventPublisher().onEvent(events::add);
        policy.supplyTokens(TokenSet.builder()
                .accessToken(family.accessToken())
                .refreshToken(family.refreshToken())
                .issuedAt(clock.instant())
                .expiresAt(family.expiresAt())
                .build());
        resources.add(policy);
        return policy;
    }

    TokenRefreshHttpClient client(TokenRefreshPolicy policy) {
        return TokenRefreshHttpClient.decorate(jdk, policy);
    }

    /** The access token the policy holds now. */
    static String currentToken(TokenRefreshPolicy policy) {
        return policy.currentTokens().orElseThrow().accessToken().value().reveal();
    }

    HttpRequest get(String path) {
        return HttpRequest.newBuilder(api.uri(path)).GET().build();
    }

    static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).GET().build();
    }

    <T extends TokenRefreshEvent> List<T> events(Class<T> type) {
        List<T> matching = new ArrayList<>();
        for (TokenRefreshEvent event : events) {
            if (type.isInstance(event)) {
                matching.add(type.cast(event));
            }
        }
        return matching;
    }

    /** A string body handler that records the status of every answer it was applied to. */
    static final class RecordingHandler implements BodyHandler<String> {

        final List<Integer> statuses = new CopyOnWriteArrayList<>();

        @Override
        public HttpResponse.BodySubscriber<String> apply(HttpResponse.ResponseInfo info) {
            statuses.add(info.statusCode());
            return BodyHandlers.ofString().apply(info);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        scheduler.shutdownNow();
        lateTimers.shutdownNow();
        api.close();
        tokens.close();
    }
}
