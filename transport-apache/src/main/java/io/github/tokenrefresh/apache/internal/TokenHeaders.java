package io.github.tokenrefresh.apache.internal;

import io.github.tokenrefresh.AccessToken;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.message.BasicHeader;

/**
 * Puts the policy's token on a request as an {@code Authorization} header, and recognises that header again.
 *
 * <p>The header for a token is built once and shared by every request that sends the token, so attaching it costs
 * no allocation while the token stays the same. The header is flagged sensitive (HTTP/2 then never indexes it)
 * and is an instance of a private class, so a request that reaches an origin the token must not go to can be told
 * apart from one whose caller set an {@code Authorization} header of their own. Thread-safe.
 */
public final class TokenHeaders {

    private volatile PolicyHeader last;

    /**
     * Replaces every {@code Authorization} header of {@code request} with the one for {@code token}.
     *
     * @param request the request about to be sent to a permitted origin
     * @param token the token to send
     */
    public void attach(HttpRequest request, AccessToken token) {
        PolicyHeader header = last;
        if (header == null || header.token != token) {
            header = new PolicyHeader(token);
            last = header;
        }
        if (request.containsHeader(HttpHeaders.AUTHORIZATION)) {
            request.removeHeaders(HttpHeaders.AUTHORIZATION);
        }
        request.addHeader(header);
    }

    /**
     * Removes the {@code Authorization} headers this class attached, leaving any the caller set.
     *
     * @param request a request to an origin that must not receive the token
     */
    public static void stripPolicyToken(HttpRequest request) {
        if (request.getFirstHeader(HttpHeaders.AUTHORIZATION) == null) {
            return;
        }
        for (Header header : request.getHeaders(HttpHeaders.AUTHORIZATION)) {
            if (header instanceof PolicyHeader) {
                request.removeHeader(header);
            }
        }
    }

    /**
     * Tells whether a header is one this class attached.
     *
     * @param header a header, may be null
     * @return true for a policy token header
     */
    public static boolean isPolicyHeader(Header header) {
        return header instanceof PolicyHeader;
    }

    /** The policy's header: immutable, sensitive, and redacted in {@link #toString()}. */
    private static final class PolicyHeader extends BasicHeader {

        private static final long serialVersionUID = 1L;

        private final transient AccessToken token;

        PolicyHeader(AccessToken token) {
            super(HttpHeaders.AUTHORIZATION, token.authorizationHeader(), true);
            this.token = token;
        }

        @Override
        public String toString() {
            return HttpHeaders.AUTHORIZATION + ": " + AccessToken.BEARER + " <redacted, token version "
                    + token.version() + '>';
        }
    }
}
