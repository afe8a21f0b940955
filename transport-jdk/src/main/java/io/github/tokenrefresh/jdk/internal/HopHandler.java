package io.github.tokenrefresh.jdk.internal;

import io.github.tokenrefresh.oauth2.BearerChallenge;

import java.net.URI;
import java.net.http.HttpClient.Redirect;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;

/**
 * The body handler of one hop: it throws away, unread by the caller's handler, the body of an answer the decorator
 * will not hand over (a redirect it follows, a token rejection it replays) and gives every other answer to the
 * caller's handler. The decision is made from status and headers alone, so the caller's handler is never even
 * applied to an answer that is discarded. Immutable and thread-safe.
 *
 * @param <T> the caller's body type
 */
final class HopHandler<T> implements BodyHandler<T> {

    private final BodyHandler<T> handler;
    private final Redirect redirect;
    private final URI uri;
    private final boolean followsRedirect;
    private final boolean discardsRejection;

    HopHandler(BodyHandler<T> handler, Redirect redirect, URI uri, boolean followsRedirect,
            boolean discardsRejection) {
        this.handler = handler;
        this.redirect = redirect;
        this.uri = uri;
        this.followsRedirect = followsRedirect;
        this.discardsRejection = discardsRejection;
    }

    @Override
    public BodySubscriber<T> apply(ResponseInfo info) {
        int status = info.statusCode();
        if (discardsRejection && status == 401
                && BearerChallenge.isTokenRejection(status, info.headers().allValues("WWW-Authenticate"))) {
            return BodySubscribers.replacing(null);
        }
        if (followsRedirect && Redirects.target(redirect, uri, status, info.headers()) != null) {
            return BodySubscribers.replacing(null);
        }
        return handler.apply(info);
    }
}
