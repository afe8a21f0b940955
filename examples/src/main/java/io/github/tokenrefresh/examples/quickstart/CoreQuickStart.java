package io.github.tokenrefresh.examples.quickstart;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenGrant;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenRefreshRegistry;
import io.github.tokenrefresh.TokenRejectedException;
import io.github.tokenrefresh.jdk.JdkTokenEndpointTransport;
import io.github.tokenrefresh.micrometer.TokenRefreshMetrics;
import io.github.tokenrefresh.oauth2.BearerChallenge;
import io.github.tokenrefresh.oauth2.ClientAuthentication;
import io.github.tokenrefresh.oauth2.ClientCredentialsGrant;
import io.github.tokenrefresh.oauth2.TokenEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Quick start for code that makes its own HTTP calls: a {@code client_credentials} policy from a registry, measured
 * by Micrometer, decorating a hand-written call that reports a rejected token by throwing.
 */
public final class CoreQuickStart {

    private CoreQuickStart() {
    }

    /**
     * Creates the policy in a registry and binds the registry's meters.
     *
     * @param registry the application's policies
     * @param meters where the metrics go
     * @param tokenEndpoint the token endpoint
     * @param clientId the client id
     * @param clientSecret the client secret
     * @param api the resource server
     * @return the policy
     */
    public static TokenRefreshPolicy policy(TokenRefreshRegistry registry, MeterRegistry meters, URI tokenEndpoint,
            String clientId, Secret clientSecret, URI api) {
        TokenEndpoint endpoint = TokenEndpoint.builder(tokenEndpoint)
                .clientAuthentication(ClientAuthentication.clientSecretPost(clientId, clientSecret))
                .transport(JdkTokenEndpointTransport.create())
                .build();
        TokenGrant grant = ClientCredentialsGrant.builder(endpoint)
                .scopes(List.of("orders.read"))
                .build();
        TokenRefreshConfig config = TokenRefreshConfig.custom()
                .allowedOrigin(api)
                .build();
        TokenRefreshPolicy policy = registry.policy("orders-api", grant, config);
        TokenRefreshMetrics.ofRegistry(registry).bindTo(meters);
        return policy;
    }

    /**
     * Decorates a hand-written call: the function receives the token, and throws {@link TokenRejectedException}
     * when the server rejects it, so the policy refreshes and calls again.
     *
     * @param policy the policy
     * @param http any client, without token handling of its own
     * @param api the resource
     * @return the decorated call
     */
    public static Callable<String> getOrders(TokenRefreshPolicy policy, HttpClient http, URI api) {
        return policy.decorateCallable(token -> fetch(http, api, token));
    }

    /**
     * Logs what the policy does and raises an alert when the token endpoint fails.
     *
     * @param policy the policy
     * @param log where to log
     * @param alerts receives each refresh failure
     */
    public static void observe(TokenRefreshPolicy policy, Logger log, Consumer<String> alerts) {
        policy.getEventPublisher()
                .onRefreshSucceeded(event -> log.info("{}", event))
                .onRefreshFailed(event -> alerts.accept(event.getFailure().getMessage()))
                .onReplayRefused(event -> log.warn("not replayed: {}", event.getReason()));
    }

    private static String fetch(HttpClient http, URI api, AccessToken token)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(api)
                .header("Authorization", token.authorizationHeader())
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (BearerChallenge.isTokenRejection(response.statusCode(), response.headers().allValues("WWW-Authenticate"))) {
            throw new TokenRejectedException("the orders API rejected the token");
        }
        return response.body();
    }
}
