package io.github.tokenrefresh.apache;

import io.github.tokenrefresh.TokenRefreshException;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.apache.internal.ClassicTokenExchange;
import io.github.tokenrefresh.apache.internal.TokenDestinations;
import io.github.tokenrefresh.apache.internal.TokenHeaders;
import io.github.tokenrefresh.apache.internal.TokenRequests;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

import java.io.IOException;
import java.util.Objects;

/**
 * Binds a {@link TokenRefreshPolicy} to the classic (blocking) Apache HttpClient 5: every request to an allowed
 * origin leaves with the policy's bearer token, and a request whose token the server rejects is replayed once with
 * a refreshed one.
 *
 * <p>Install it with {@link #install(HttpClientBuilder, TokenRefreshPolicy)}:
 * <pre>{@code
 * CloseableHttpClient client = TokenRefreshExecChainHandler.install(HttpClients.custom(), policy).build();
 * }</pre>
 *
 * <p><b>Where it sits.</b> The handler goes right after HttpClient's {@link ChainElement#PROTOCOL protocol}
 * element, below the {@link ChainElement#REDIRECT redirect} and {@link ChainElement#RETRY retry} elements, so every
 * redirect hop and every retry passes through it and is judged by its own origin: a hop to an origin outside
 * {@link io.github.tokenrefresh.TokenRefreshConfig#getAllowedOrigins()} (or plain http to a remote host) goes out
 * without the token, whatever the previous hop carried. So does a request whose {@code Host} header names an
 * authority that is not allowed (a server may route by it), and one whose route passes the token in the clear
 * through a proxy off this host (a plain http request through any proxy not named as a loopback host; an https
 * request tunnelled through a proxy keeps the token, which the proxy cannot read).
 *
 * <p><b>Attaching the token.</b> For an allowed origin the handler removes every {@code Authorization} header and
 * adds the policy's, on each hop and each attempt. Requests to other origins are left as they are, and so are the
 * token requests of {@link ApacheTokenEndpointTransport}, which carry the client's own credentials. While the token
 * is fresh this costs a lookup of the origin and one header: no lock, no logging, no new header object.
 *
 * <p><b>Rejections.</b> A 401 that {@link io.github.tokenrefresh.oauth2.BearerChallenge#isTokenRejection rejects
 * the token} is drained and closed and its connection returned to the pool before the policy's keyed refresh runs,
 * so a 401 never pins a pooled connection; the request is then replayed with the new token, at most
 * {@link io.github.tokenrefresh.TokenRefreshConfig#getMaxReplays()} times, and only if its entity is repeatable.
 * A request whose entity cannot be sent twice (such as an {@code InputStreamEntity}) is not replayed: the caller
 * gets the 401 response, still readable, and the policy publishes a
 * {@link io.github.tokenrefresh.event.ReplayRefusedEvent}. Answers that are not token rejections, such as a 403
 * {@code insufficient_scope}, go to the caller untouched.
 *
 * <p><b>HttpClient's own authentication.</b> Because the handler sits below the protocol element, the two never
 * compete for an allowed origin. Credentials HttpClient would add (a {@code BearerToken} or other credentials from
 * its credentials provider, or a scheme its auth cache sends preemptively) are replaced by the policy's token before
 * the request leaves, and a 401 reaches the policy first; HttpClient only sees the 401s the policy gave up on. To
 * any other origin HttpClient authenticates exactly as configured, and the policy's token never goes there. So do
 * not put credentials for an allowed origin into the credentials provider: they would never be sent.
 *
 * <p><b>Failures.</b> When no token can be had, {@code execute} throws the policy's {@link TokenRefreshException}
 * (a {@code RuntimeException}) unchanged, after releasing any connection; HttpClient's retry element does not retry
 * it, which leaves the decision to the policy's backoff or an outer Resilience4j or Failsafe policy.
 *
 * <p>Instances are immutable and thread-safe; one handler (or one policy) may serve several clients.
 */
public final class TokenRefreshExecChainHandler implements ExecChainHandler {

    /** The name the handler is registered under in the exec chain. */
    public static final String NAME = "TOKEN_REFRESH";

    private final TokenRefreshPolicy policy;
    private final TokenDestinations destinations;
    private final TokenHeaders headers = new TokenHeaders();
    private final int maxReplays;

    /**
     * Creates a handler for {@code policy}; {@link #install} adds it to a builder in the right place.
     *
     * @param policy the policy whose token the requests carry
     * @throws NullPointerException if {@code policy} is null
     */
    public TokenRefreshExecChainHandler(TokenRefreshPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy must not be null");
        this.destinations = new TokenDestinations(policy.getConfig());
        this.maxReplays = policy.getConfig().getMaxReplays();
    }

    /**
     * Adds a handler for {@code policy} to {@code builder}, after the protocol element and so below redirects and
     * retries, under the name {@value #NAME}.
     *
     * @param builder the client builder
     * @param policy the policy
     * @return {@code builder}, to go on configuring it
     * @throws NullPointerException if an argument is null
     */
    public static HttpClientBuilder install(HttpClientBuilder builder, TokenRefreshPolicy policy) {
        Objects.requireNonNull(builder, "builder must not be null");
        return builder.addExecInterceptorAfter(ChainElement.PROTOCOL.name(), NAME,
                new TokenRefreshExecChainHandler(policy));
    }

    /**
     * Returns the policy this handler applies.
     *
     * @return the policy
     */
    public TokenRefreshPolicy getPolicy() {
        return policy;
    }

    /**
     * Sends the request with the policy's token if its origin is allowed, replaying it after a token rejection;
     * sends any other request unchanged.
     *
     * @param request the request
     * @param scope the exchange's scope
     * @param chain the rest of the chain
     * @return the response; for a rejection that was not replayed, the 401 itself
     * @throws IOException when sending fails
     * @throws HttpException on a protocol error
     * @throws TokenRefreshException when the policy cannot provide a token
     */
    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        if (!destinations.permits(request, scope.route) || TokenRequests.isTokenRequest(scope.clientContext)) {
            TokenHeaders.stripPolicyToken(request);
            return chain.proceed(request, scope);
        }
        try {
            return policy.execute(new ClassicTokenExchange(request, scope, chain, headers, maxReplays));
        } catch (IOException | HttpException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // The exchange only throws what the chain throws; anything else is a bug worth surfacing as I/O.
            throw new IOException("the token refresh exchange failed unexpectedly", e);
        }
    }

    @Override
    public String toString() {
        return "TokenRefreshExecChainHandler[policy=" + policy.getName() + ']';
    }
}
