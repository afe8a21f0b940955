package io.github.tokenrefresh;

import java.util.concurrent.CompletionStage;

/**
 * Obtains new tokens from an authorization server: the service provider interface behind every refresh.
 *
 * <p>The library ships the OAuth2 {@code refresh_token} and {@code client_credentials} grants in
 * {@link io.github.tokenrefresh.oauth2}; implement this for anything else (a token exchange, a vault lookup).
 * A policy calls {@link #requestTokens(GrantRequest)} from at most one thread at a time, only when it has decided
 * to refresh, so an implementation need not guard against concurrent refreshes itself.
 *
 * <p>Complete the stage with a {@link TokenResponse}, or exceptionally with
 * {@link ReauthenticationRequiredException} (the grant is dead), {@link TokenEndpointUnavailableException}
 * (try again later) or {@link TokenEndpointProtocolException} (the answer made no sense). Any other exception is
 * treated as transient. The implementation must not block the calling thread for long: return a stage that
 * completes when the answer arrives.
 */
@FunctionalInterface
public interface TokenGrant {

    /**
     * Asks for a new token set.
     *
     * @param request what the policy holds now and why it refreshes
     * @return a stage completing with the answer
     */
    CompletionStage<TokenResponse> requestTokens(GrantRequest request);
}
