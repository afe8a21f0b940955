package io.github.tokenrefresh.examples;

import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenGrant;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenSet;
import io.github.tokenrefresh.jdk.JdkTokenEndpointTransport;
import io.github.tokenrefresh.oauth2.ClientAuthentication;
import io.github.tokenrefresh.oauth2.RefreshTokenGrant;
import io.github.tokenrefresh.oauth2.TokenEndpoint;
import io.github.tokenrefresh.testing.LoopbackResourceServer;
import io.github.tokenrefresh.testing.LoopbackTokenServer;
import io.github.tokenrefresh.testing.ManualClock;
import io.github.tokenrefresh.testing.ManualScheduler;
import io.github.tokenrefresh.testing.TokenFamily;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * An authorization server and a resource server on loopback sharing a manual clock with the policy, whose tokens
 * come from the authorization server over real HTTP through {@link JdkTokenEndpointTransport}; plus a plain JDK
 * client and a small thread pool for asynchronous retries.
 */
final class LoopbackServers implements AutoCloseable {

    static final String POLICY = "orders";

    final ManualClock clock = new ManualClock();
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final LoopbackTokenServer tokens = LoopbackTokenServer.builder().clock(clock).start();
    final LoopbackResourceServer api = LoopbackResourceServer.start(tokens);
    final HttpClient jdk = HttpClient.newHttpClient();
    final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);
    final TokenFamily family = tokens.issueFamily();

    private final List<TokenRefreshPolicy> policies = new ArrayList<>();

    TokenRefreshConfig.Builder config() {
        return TokenRefreshConfig.custom()
                .clock(clock)
                .scheduler(scheduler)
                .refreshJitter(0.0)
                .allowedOrigin(api.baseUri());
    }

    /** The refresh_token grant; before its first refresh it presents the family's refresh token. */
    TokenGrant grant() {
        TokenEndpoint endpoint = TokenEndpoint.builder(tokens.tokenEndpoint())
                .clientAuthentication(ClientAuthentication.clientSecretBasic(LoopbackTokenServer.DEFAULT_CLIENT_ID,
                        Secret.of(LoopbackTokenServer.DEFAULT_CLIENT_SECRET)))
                .transport(JdkTokenEndpointTransport.create())
                .clock(clock)
                .build();
        return RefreshTokenGrant.builder(endpoint).initialRefreshToken(Secret.of(family.refreshToken())).build();
    }

    /** A policy holding the family's tokens, as right after a login. */
    TokenRefreshPolicy loggedInPolicy() {
        TokenRefreshPolicy policy = policyWithoutToken(grant(), config().build());
        policy.supplyTokens(TokenSet.builder()
                .accessToken(family.accessToken())
                .refreshToken(family.refreshToken())
                .issuedAt(clock.instant())
                .expiresAt(family.expiresAt())
                .build());
        return policy;
    }

    /** A policy that obtains its first token on first use. */
    TokenRefreshPolicy policyWithoutToken(TokenGrant grant, TokenRefreshConfig config) {
        TokenRefreshPolicy policy = TokenRefreshPolicy.of(POLICY, config, grant);
        policies.add(policy);
        return policy;
    }

    HttpRequest get(String path) {
        return HttpRequest.newBuilder(api.uri(path)).GET().build();
    }

    /** Makes {@code path} answer 503 to everything. */
    void failWith503(String path) {
        api.route(path, exchange -> exchange.sendResponseHeaders(503, -1));
    }

    @Override
    public void close() {
        policies.forEach(TokenRefreshPolicy::close);
        threads.shutdownNow();
        scheduler.shutdownNow();
        api.close();
        tokens.close();
    }
}
