/**
 * Binds a {@link io.github.tokenrefresh.TokenRefreshPolicy} to Apache HttpClient 5.
 *
 * <p>{@link io.github.tokenrefresh.apache.TokenRefreshExecChainHandler} (classic client) and
 * {@link io.github.tokenrefresh.apache.TokenRefreshAsyncExecChainHandler} (async client) sit in the exec chain right
 * after HttpClient's protocol element, below redirects and retries, where they attach the bearer token to every
 * request to an allowed origin and replay a request whose token was rejected; each has a static {@code install}
 * that puts it there. {@link io.github.tokenrefresh.apache.ApacheTokenEndpointTransport} and
 * {@link io.github.tokenrefresh.apache.ApacheAsyncTokenEndpointTransport} carry the policy's own requests to the
 * token endpoint over a classic or an async client.
 */
package io.github.tokenrefresh.apache;
