package io.github.tokenrefresh.micrometer;

import io.github.tokenrefresh.GrantRequest;
import io.github.tokenrefresh.TokenGrant;
import io.github.tokenrefresh.TokenResponse;
import io.github.tokenrefresh.micrometer.internal.RefreshOutcomes;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A {@link TokenGrant} that makes an {@link Observation} of every call of the grant it wraps, so tracing backends
 * see each token endpoint call and meter observation handlers time it.
 *
 * <pre>{@code
 * TokenGrant grant = ObservedTokenGrant.wrap(RefreshTokenGrant.builder(endpoint).build(), observationRegistry);
 * TokenRefreshPolicy policy = TokenRefreshPolicy.of("orders", config, grant);
 * }</pre>
 *
 * <p>The observation ({@link TokenRefreshObservationDocumentation#TOKEN_GRANT}, named
 * {@value DefaultTokenRefreshObservationConvention#NAME} by default) starts when the policy calls the grant and
 * stops when the grant's stage completes, before the policy sees the answer. Its {@code outcome} is classified as
 * the {@link TokenRefreshMetrics} refresh timer classifies the same call: a
 * {@link io.github.tokenrefresh.ReauthenticationRequiredException} is {@code rejected}, a
 * {@link io.github.tokenrefresh.TokenEndpointProtocolException} is {@code protocol_error}, any other failure is
 * {@code transient_failure}; a failure is also recorded as the observation's error. The observation is in scope
 * while the wrapped grant sends its request, so an instrumented HTTP client's own observation becomes its child.
 *
 * <p>To time refreshes through observations alone, build the binder with
 * {@link TokenRefreshMetrics.Builder#refreshTimer(boolean) refreshTimer(false)}; see {@link TokenRefreshMetrics}.
 * A grant whose stage never completes leaves its observation open; the policy stops waiting for such a grant, this
 * wrapper cannot tell.
 *
 * <p>Immutable and thread-safe, as the grant it wraps must be.
 */
public final class ObservedTokenGrant implements TokenGrant {

    private final TokenGrant delegate;
    private final ObservationRegistry registry;
    private final TokenRefreshObservationConvention convention;
    private final URI tokenEndpoint;

    private ObservedTokenGrant(Builder builder) {
        this.delegate = builder.delegate;
        this.registry = builder.registry;
        this.convention = builder.convention;
        this.tokenEndpoint = builder.tokenEndpoint;
    }

    /**
     * Wraps a grant with the default convention (or the registry's global one) and no token endpoint key value.
     *
     * @param grant the grant to observe
     * @param registry where observations go
     * @return the observed grant
     */
    public static ObservedTokenGrant wrap(TokenGrant grant, ObservationRegistry registry) {
        return builder(grant, registry).build();
    }

    /**
     * Starts a builder.
     *
     * @param grant the grant to observe
     * @param registry where observations go
     * @return a builder
     */
    public static Builder builder(TokenGrant grant, ObservationRegistry registry) {
        return new Builder(grant, registry);
    }

    @Override
    public CompletionStage<TokenResponse> requestTokens(GrantRequest request) {
        TokenRefreshObservationContext context = new TokenRefreshObservationContext(request.policyName(),
                request.trigger(), tokenEndpoint);
        Observation observation = TokenRefreshObservationDocumentation.TOKEN_GRANT
                .observation(convention, DefaultTokenRefreshObservationConvention.INSTANCE, () -> context, registry)
                .start();

        CompletionStage<TokenResponse> answer;
        try {
            answer = sendInScope(observation, request);
        } catch (RuntimeException | Error e) {
            stop(observation, context, null, e);
            throw e;
        }

        if (answer == null) {
            // The policy fails such a grant as it fails any unexpected error; the observation says the same.
            stop(observation, context, null, new NullPointerException("the grant returned a null stage"));
            return null;
        }
        return answer.whenComplete((response, failure) -> stop(observation, context, response, failure));
    }

    private CompletionStage<TokenResponse> sendInScope(Observation observation, GrantRequest request) {
        Observation.Scope scope = observation.openScope();
        try {
            return delegate.requestTokens(request);
        } finally {
            scope.close();
        }
    }

    private static void stop(Observation observation, TokenRefreshObservationContext context,
            TokenResponse response, Throwable failure) {
        context.setOutcome(RefreshOutcomes.of(response, failure));
        if (failure != null) {
            observation.error(RefreshOutcomes.unwrap(failure));
        }
        observation.stop();
    }

    @Override
    public String toString() {
        return "ObservedTokenGrant[" + delegate + ']';
    }

    /**
     * Builds an {@link ObservedTokenGrant}. Every option checks its argument when given. Not thread-safe.
     */
    public static final class Builder {

        private final TokenGrant delegate;
        private final ObservationRegistry registry;
        private TokenRefreshObservationConvention convention;
        private URI tokenEndpoint;

        private Builder(TokenGrant delegate, ObservationRegistry registry) {
            this.delegate = Objects.requireNonNull(delegate, "grant must not be null");
            this.registry = Objects.requireNonNull(registry, "registry must not be null");
        }

        /**
         * Sets the convention that names the observation and chooses its key values.
         *
         * @param convention the convention, or null for the registry's global convention or the default
         * @return this builder
         */
        public Builder convention(TokenRefreshObservationConvention convention) {
            this.convention = convention;
            return this;
        }

        /**
         * Sets the token endpoint to report as the high-cardinality key value {@code token.endpoint}. User info,
         * query and fragment are dropped, so no credential or parameter reaches a trace.
         *
         * @param uri the token endpoint, absolute with a host; null for none (the default)
         * @return this builder
         * @throws IllegalArgumentException if the URI is not absolute or has no host
         */
        public Builder tokenEndpoint(URI uri) {
            this.tokenEndpoint = uri == null ? null : withoutSecrets(uri);
            return this;
        }

        private static URI withoutSecrets(URI uri) {
            if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
                throw new IllegalArgumentException("tokenEndpoint must be an absolute URI with a host, such as "
                        + "'https://auth.example.com/oauth2/token', was one with scheme '" + uri.getScheme()
                        + "' and host '" + uri.getHost() + "'");
            }
            try {
                return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("tokenEndpoint could not be rebuilt without its query: "
                        + e.getReason(), e);
            }
        }

        /**
         * Builds the observed grant.
         *
         * @return the observed grant
         */
        public ObservedTokenGrant build() {
            return new ObservedTokenGrant(this);
        }
    }
}
