package io.github.tokenrefresh.jdk.internal;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.jdk.ReplayableBodies;
import io.github.tokenrefresh.oauth2.BearerChallenge;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.util.function.BiPredicate;

/**
 * One call through the decorator: the caller's request, the chain of redirect hops it may turn into, and what the
 * policy needs to know to replay it. Each send runs the whole chain with one token; the token goes only with hops
 * whose URI the policy's configuration permits.
 *
 * <p>A rejected answer that will be replayed never reaches the caller's body handler (see {@link HopHandler}), so
 * there is nothing left to release when the policy discards it.
 *
 * @param <T> the caller's body type
 */
abstract class Exchange<T> {

    private static final BiPredicate<String, String> NOT_AUTHORIZATION =
            (name, value) -> !"Authorization".equalsIgnoreCase(name);

    final ExchangeSettings settings;
    final HttpRequest request;
    final BodyHandler<T> handler;
    private final boolean replayable;

    Exchange(ExchangeSettings settings, HttpRequest request, BodyHandler<T> handler) {
        this.settings = settings;
        this.request = request;
        this.handler = handler;
        this.replayable = ReplayableBodies.isReplayable(request);
    }

    /**
     * Tells whether the caller's request may be sent again, by the rules of {@link ReplayableBodies}.
     *
     * @return true if replayable
     */
    public boolean isReplayable() {
        return replayable;
    }

    /**
     * Tells whether an answer rejected the policy's token: it must have been sent with it, and be a 401 that
     * {@link BearerChallenge#isTokenRejection} classifies as a token rejection.
     *
     * @param response an answer of this exchange
     * @return true for a rejection of the token
     */
    public boolean isTokenRejected(HttpResponse<T> response) {
        return response.statusCode() == 401
                && ((DecoratedResponse<T>) response).authorized()
                && BearerChallenge.isTokenRejection(401, response.headers().allValues("WWW-Authenticate"));
    }

    /** Whether a token rejection of this send will be replayed, so that its body can be thrown away unread. */
    boolean replaysRejection(AccessToken token, int replay) {
        return token != null && replayable && replay < settings.config().getMaxReplays();
    }

    /** Whether a hop to the URI of {@code hop} carries the token. */
    boolean authorizes(AccessToken token, HttpRequest hop) {
        return token != null && settings.permitsToken(hop.uri());
    }

    /** The request to put on the wire: the hop itself, or a copy whose only Authorization header is the token's. */
    static HttpRequest onTheWire(HttpRequest hop, boolean authorized, AccessToken token) {
        if (!authorized) {
            return hop;
        }
        return HttpRequest.newBuilder(hop, NOT_AUTHORIZATION)
                .header("Authorization", token.authorizationHeader())
                .build();
    }

    HopHandler<T> hopHandler(HttpRequest hop, boolean followsRedirect, boolean discardsRejection) {
        return new HopHandler<>(handler, settings.redirect(), hop.uri(), followsRedirect, discardsRejection);
    }
}
