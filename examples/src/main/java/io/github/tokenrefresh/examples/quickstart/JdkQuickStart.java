package io.github.tokenrefresh.examples.quickstart;

import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenGrant;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.jdk.JdkTokenEndpointTransport;
import io.github.tokenrefresh.jdk.TokenRefreshHttpClient;
import io.github.tokenrefresh.oauth2.ClientAuthentication;
import io.github.tokenrefresh.oauth2.RefreshTokenGrant;
import io.github.tokenrefresh.oauth2.TokenEndpoint;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Quick start for the JDK {@link HttpClient}: a refresh-token policy and a client that attaches and renews its token.
 */
public final class JdkQuickStart {

    private JdkQuickStart() {
    }

    /**
     * Builds the policy: the {@code refresh_token} grant against {@code tokenEndpoint}, sending the token only to
     * the origin of {@code api}.
     *
     * @param tokenEndpoint the authorization server's token endpoint
     * @param clientId the client id
     * @param clientSecret the client secret
     * @param refreshToken the refresh token a login produced
     * @param api the resource server
     * @return the policy
     */
    public static TokenRefreshPolicy policy(URI tokenEndpoint, String clientId, Secret clientSecret,
            Secret refreshToken, URI api) {
        TokenEndpoint endpoint = TokenEndpoint.builder(tokenEndpoint)
                .clientAuthentication(ClientAuthentication.clientSecretBasic(clientId, clientSecret))
                .transport(JdkTokenEndpointTransport.create())
                .build();
        TokenGrant grant = RefreshTokenGrant.builder(endpoint)
                .initialRefreshToken(refreshToken)
                .build();
        TokenRefreshConfig config = TokenRefreshConfig.custom()
                .allowedOrigin(api)
                .build();
        return TokenRefreshPolicy.of("orders-api", config, grant);
    }

    /**
     * Builds the client: any request to the allowed origin carries the token; a rejected one is refreshed and
     * replayed once.
     *
     * @param policy the policy
     * @return the client
     */
    public static HttpClient client(TokenRefreshPolicy policy) {
        return TokenRefreshHttpClient.builder(policy)
                .delegate(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Calls the API with the client, as any JDK client call.
     *
     * @param client the client from {@link #client(TokenRefreshPolicy)}
     * @param api the resource
     * @return the response body
     * @throws IOException when the call fails
     * @throws InterruptedException when interrupted
     */
    public static String getOrders(HttpClient client, URI api) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(api).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
