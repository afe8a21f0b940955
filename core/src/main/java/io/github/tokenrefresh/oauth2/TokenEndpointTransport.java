package io.github.tokenrefresh.oauth2;

import java.util.concurrent.CompletionStage;

/**
 * Sends one request to a token endpoint: the small service provider interface each HTTP adapter implements, so the
 * core stays free of any HTTP client.
 *
 * <p>An implementation must:
 * <ul>
 *   <li>send {@link TokenEndpointRequest#method()} (always POST) to {@link TokenEndpointRequest#uri()} with exactly
 *       the given headers and body;</li>
 *   <li>never follow a redirect (the body holds credentials) and never add credentials of its own;</li>
 *   <li>give up after {@link TokenEndpointRequest#timeout()}, completing the stage exceptionally with an
 *       {@link java.io.IOException} or a {@link java.util.concurrent.TimeoutException};</li>
 *   <li>read at most {@link TokenEndpointRequest#maxResponseBytes()} + 1 bytes of the body (see
 *       {@link TokenEndpointResponse#readBounded}) and release the connection;</li>
 *   <li>complete normally with a {@link TokenEndpointResponse} for every HTTP answer, whatever its status;</li>
 *   <li>not block the calling thread while the exchange runs.</li>
 * </ul>
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface TokenEndpointTransport {

    /**
     * Sends the request.
     *
     * @param request the request
     * @return a stage completing with the answer, or exceptionally on an I/O error or timeout
     */
    CompletionStage<TokenEndpointResponse> send(TokenEndpointRequest request);
}
