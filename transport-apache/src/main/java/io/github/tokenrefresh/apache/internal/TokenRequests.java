package io.github.tokenrefresh.apache.internal;

import io.github.tokenrefresh.oauth2.TokenEndpointRequest;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.cookie.StandardCookieSpec;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.util.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * What both token endpoint transports do alike: the per-request settings that make HttpClient send exactly the
 * request the core built, and the translation of the answer's headers.
 */
public final class TokenRequests {

    /** How far HttpClient's lease and read timeouts stand beyond the exchange's deadline. */
    private static final Duration BACKSTOP = Duration.ofSeconds(1);

    /** Marks a token request's context, so the exec chain handlers pass it through untouched. */
    private static final String TOKEN_REQUEST = "io.github.tokenrefresh.apache.token-request";

    private TokenRequests() {
    }

    /**
     * Returns a fresh context whose settings keep HttpClient from adding anything of its own: no redirects (the
     * body holds credentials), no authentication of its own (the request carries the client's), no cookies, no
     * compression, and timeouts for leasing a connection and for each read just beyond the request's.
     *
     * <p>A fresh context also means no shared auth cache, so no credentials are sent preemptively. A token endpoint
     * reached through a proxy that demands authentication is therefore not supported.
     *
     * @param request the token request
     * @return the context for this one exchange
     */
    public static HttpClientContext context(TokenEndpointRequest request) {
        // The transports' own deadline ends a slow exchange with a TimeoutException; HttpClient's per-phase limits
        // stand a little beyond it, as a backstop, so that they never win the race against it.
        Timeout timeout = Timeout.of(request.timeout().plus(BACKSTOP));
        RequestConfig config = RequestConfig.custom()
                .setConnectionRequestTimeout(timeout)
                .setResponseTimeout(timeout)
                .setRedirectsEnabled(false)
                .setAuthenticationEnabled(false)
                .setCookieSpec(StandardCookieSpec.IGNORE)
                .setContentCompressionEnabled(false)
                .setExpectContinueEnabled(false)
                .build();
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(config);
        context.setAttribute(TOKEN_REQUEST, Boolean.TRUE);
        return context;
    }

    /**
     * Tells whether an exchange is a token request of this module's transports. The exec chain handlers leave such
     * an exchange alone even when the token endpoint shares an allowed origin with the API: attaching the bearer
     * token would replace the client's own credentials, and waiting for a token inside the refresh that is to
     * produce it would never end.
     *
     * @param context the exchange's context
     * @return true for a token request
     */
    public static boolean isTokenRequest(HttpClientContext context) {
        return context.getAttribute(TOKEN_REQUEST) != null;
    }

    /**
     * Copies response headers into the form {@link io.github.tokenrefresh.oauth2.TokenEndpointResponse} takes.
     *
     * @param headers the response headers
     * @return a map from name to values, in arrival order
     */
    public static Map<String, List<String>> headers(Header[] headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Header header : headers) {
            map.computeIfAbsent(header.getName(), name -> new ArrayList<>(1)).add(header.getValue());
        }
        return map;
    }

    /**
     * Returns the failure of a token request that ran out of time.
     *
     * @param request the token request
     * @return a timeout naming the endpoint and the limit
     */
    public static TimeoutException timedOut(TokenEndpointRequest request) {
        return new TimeoutException("the token endpoint " + request.uri() + " did not answer within "
                + request.timeout().toMillis() + " ms");
    }
}
