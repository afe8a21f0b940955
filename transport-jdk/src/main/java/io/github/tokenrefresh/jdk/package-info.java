/**
 * Binds a {@link io.github.tokenrefresh.TokenRefreshPolicy} to the JDK's {@link java.net.http.HttpClient}:
 * {@link io.github.tokenrefresh.jdk.TokenRefreshHttpClient} attaches and refreshes the bearer token of every request
 * to an allowed origin and replays a request whose token was rejected, and
 * {@link io.github.tokenrefresh.jdk.JdkTokenEndpointTransport} carries the policy's own requests to the token
 * endpoint. {@link io.github.tokenrefresh.jdk.ReplayableBodies} says which requests may be replayed.
 */
package io.github.tokenrefresh.jdk;
