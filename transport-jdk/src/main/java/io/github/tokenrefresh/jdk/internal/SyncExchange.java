package io.github.tokenrefresh.jdk.internal;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.AuthorizedCall;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;

/**
 * A blocking call through the decorator, for {@link io.github.tokenrefresh.TokenRefreshPolicy#execute}. One
 * instance per call, used by one thread.
 *
 * @param <T> the caller's body type
 */
public final class SyncExchange<T> extends Exchange<T> implements AuthorizedCall<HttpResponse<T>, IOException> {

    /**
     * Creates the call.
     *
     * @param settings the decorator's settings
     * @param request the caller's request
     * @param handler the caller's body handler
     */
    public SyncExchange(ExchangeSettings settings, HttpRequest request, BodyHandler<T> handler) {
        super(settings, request, handler);
    }

    /**
     * Sends the request and follows its redirects.
     *
     * @param token the token for permitted hops, or null to send no token at all
     * @param replay the replay number
     * @return the last hop's answer
     * @throws IOException when a hop fails
     * @throws Interrupted when the thread is interrupted while waiting for an answer
     */
    @Override
    public HttpResponse<T> send(AccessToken token, int replay) throws IOException {
        boolean replaysRejection = replaysRejection(token, replay);
        HttpRequest hop = request;
        HttpResponse<T> previous = null;
        for (int redirects = 0; ; redirects++) {
            boolean authorized = authorizes(token, hop);
            boolean followsRedirect = settings.mayFollow(redirects);
            HttpResponse<T> answer;
            try {
                answer = settings.delegate().send(onTheWire(hop, authorized, token),
                        hopHandler(hop, followsRedirect, authorized && replaysRejection));
            } catch (InterruptedException e) {
                throw new Interrupted(e);
            }

            DecoratedResponse<T> response = new DecoratedResponse<>(answer, hop, previous, authorized);
            URI next = followsRedirect
                    ? Redirects.target(settings.redirect(), hop.uri(), answer.statusCode(), answer.headers())
                    : null;
            if (next == null) {
                return response;
            }
            previous = response;
            hop = Redirects.next(hop, answer.statusCode(), next);
        }
    }

    /**
     * Carries an {@link InterruptedException} through the policy, whose call type admits one checked exception;
     * the decorator unwraps it and throws the original.
     */
    public static final class Interrupted extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Interrupted(InterruptedException cause) {
            super(cause);
        }

        /**
         * Returns the interruption.
         *
         * @return the original exception
         */
        public InterruptedException interruption() {
            return (InterruptedException) getCause();
        }
    }
}
