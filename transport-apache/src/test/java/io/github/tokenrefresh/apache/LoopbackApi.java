package io.github.tokenrefresh.apache;

import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.oauth2.ClientAuthentication;
import io.github.tokenrefresh.oauth2.RefreshTokenGrant;
import io.github.tokenrefresh.oauth2.TokenEndpoint;
import io.github.tokenrefresh.oauth2.TokenEndpointTransport;
import io.github.tokenrefresh.store.InMemoryTokenStore;
import io.github.tokenrefresh.store.TokenStore;
import io.github.tokenrefresh.testing.LoopbackResourceServer;
import io.github.tokenrefresh.testing.LoopbackTokenServer;
import io.github.tokenrefresh.testing.TokenFamily;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.ModalCloseable;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static io.github.tokenrefresh.testing.LoopbackTokenServer.DEFAULT_CLIENT_ID;
import static io.github.tokenrefresh.testing.LoopbackTokenServer.DEFAULT_CLIENT_SECRET;

/**
 * The loopback world most tests run in: a token server, a protected API that accepts its tokens, an unprotected
 * server on another origin, a client for the token endpoint, and a helper to build policies that refresh against
 * it. Everything made here is closed with it.
 */
final class LoopbackApi implements AutoCloseable {

    final LoopbackTokenServer tokens;
    final LoopbackResourceServer api;
    final LoopbackResourceServer elsewhere = LoopbackResourceServer.startUnprotected();
    final TokenFamily family;
    final CloseableHttpClient tokenClient = HttpClients.createDefault();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private LoopbackApi(LoopbackTokenServer tokens) {
        this.tokens = tokens;
        this.api = LoopbackResourceServer.start(tokens);
        this.family = tokens.issueFamily();
    }

    static LoopbackApi start() {
        return new LoopbackApi(LoopbackTokenServer.start());
    }

    static LoopbackApi start(Clock clock) {
        return new LoopbackApi(LoopbackTokenServer.builder().clock(clock).start());
    }

    /** A config that lets the token go to the protected API only. */
    TokenRefreshConfig.Builder config() {
        return TokenRefreshConfig.custom().allowedOrigin(api.baseUri()).refreshJitter(0.0);
    }

    /** A policy that starts from the seeded family and refreshes over the classic Apache transport. */
    TokenRefreshPolicy policy() {
        return policy(config().build());
    }

    TokenRefreshPolicy policy(TokenRefreshConfig config) {
        return policy(config, ApacheTokenEndpointTransport.of(tokenClient));
    }

    TokenRefreshPolicy policy(TokenRefreshConfig config, TokenEndpointTransport transport) {
        return policy(config, transport, new InMemoryTokenStore(config.getClock()));
    }

    TokenRefreshPolicy policy(TokenRefreshConfig config, TokenEndpointTransport transport, TokenStore store) {
        TokenEndpoint endpoint = TokenEndpoint.builder(tokens.tokenEndpoint())
                .clientAuthentication(ClientAuthentication.clientSecretBasic(DEFAULT_CLIENT_ID,
                        Secret.of(DEFAULT_CLIENT_SECRET)))
                .transport(transport)
                .clock(config.getClock())
                .build();
        RefreshTokenGrant grant = RefreshTokenGrant.builder(endpoint)
                .initialRefreshToken(Secret.of(family.refreshToken()))
                .build();
        return closeLater(TokenRefreshPolicy.of("orders", config, grant, store));
    }

    /** The access token the policy holds now, as the resource server sees it. */
    static String currentToken(TokenRefreshPolicy policy) {
        return policy.currentTokens().orElseThrow().accessToken().value().reveal();
    }

    <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    /** Closes what was made here, last made first; clients go down at once, without waiting for idle ones. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (int i = closeables.size() - 1; i >= 0; i--) {
            AutoCloseable closeable = closeables.get(i);
            try {
                if (closeable instanceof ModalCloseable) {
                    ((ModalCloseable) closeable).close(CloseMode.IMMEDIATE);
                } else {
                    closeable.close();
                }
            } catch (Exception e) {
                failure = failure == null ? new IOException("could not close " + closeable, e) : failure;
            }
        }
        tokenClient.close(CloseMode.IMMEDIATE);
        elsewhere.close();
        api.close();
        tokens.close();
        if (failure != null) {
            throw failure;
        }
    }
}
