package io.github.tokenrefresh.apache.internal;

import io.github.tokenrefresh.oauth2.BearerChallenge;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a resource server's answer the way the core's {@link BearerChallenge#isTokenRejection} wants it.
 */
public final class Rejections {

    private Rejections() {
    }

    /**
     * Tells whether {@code response} rejected the bearer token it was sent with. Only a 401 is examined further,
     * so other answers cost nothing.
     *
     * @param response the response head
     * @return true for a 401 that a refresh may cure
     */
    public static boolean isTokenRejection(HttpResponse response) {
        if (response.getCode() != HttpStatus.SC_UNAUTHORIZED) {
            return false;
        }
        Header[] challenges = response.getHeaders(HttpHeaders.WWW_AUTHENTICATE);
        List<String> values = new ArrayList<>(challenges.length);
        for (Header challenge : challenges) {
            values.add(challenge.getValue());
        }
        return BearerChallenge.isTokenRejection(HttpStatus.SC_UNAUTHORIZED, values);
    }
}
