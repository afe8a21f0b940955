package io.github.tokenrefresh.jdk.internal;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.AsyncAuthorizedCall;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A non-blocking call through the decorator, for {@link io.github.tokenrefresh.TokenRefreshPolicy#executeAsync}.
 * Hops follow one another from the delegate's completion threads; cancelling a send cancels the hop in flight.
 * One instance per call; the policy never runs two of its sends at once.
 *
 * @param <T> the caller's body type
 */
public final class AsyncExchange<T> extends Exchange<T> implements AsyncAuthorizedCall<HttpResponse<T>> {

    private final PushPromiseHandler<T> pushPromises;

    /**
     * Creates the call.
     *
     * @param settings the decorator's settings
     * @param request the caller's request
     * @param handler the caller's body handler
     * @param pushPromises the caller's push promise handler, or null
     */
    public AsyncExchange(ExchangeSettings settings, HttpRequest request, BodyHandler<T> handler,
            PushPromiseHandler<T> pushPromises) {
        super(settings, request, handler);
        this.pushPromises = pushPromises;
    }

    /**
     * Sends the request and follows its redirects.
     *
     * @param token the token for permitted hops, or null to send no token at all
     * @param replay the replay number
     * @return a future of the last hop's answer; cancelling it cancels the hop in flight
     */
    @Override
    public CompletableFuture<HttpResponse<T>> send(AccessToken token, int replay) {
        Chain<T> chain = new Chain<>();
        hop(chain, token, replaysRejection(token, replay), request, null, 0);
        return chain;
    }

    private void hop(Chain<T> chain, AccessToken token, boolean replaysRejection, HttpRequest hop,
            HttpResponse<T> previous, int redirects) {
        boolean authorized = authorizes(token, hop);
        boolean followsRedirect = settings.mayFollow(redirects);
        CompletableFuture<HttpResponse<T>> sent;
        try {
            sent = settings.delegate().sendAsync(onTheWire(hop, authorized, token),
                    hopHandler(hop, followsRedirect, authorized && replaysRejection), pushPromisesOf(hop));
        } catch (RuntimeException e) {
            chain.completeExceptionally(e);
            return;
        }
        chain.inFlight = sent;
        if (chain.isCancelled()) {
            // Cancelled between two hops: the new hop must not outlive the call.
            sent.cancel(true);
        }

        sent.whenComplete((answer, failure) -> {
            if (failure != null) {
                chain.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure);
                return;
            }
            DecoratedResponse<T> response = new DecoratedResponse<>(answer, hop, previous, authorized);
            URI next = followsRedirect
                    ? Redirects.target(settings.redirect(), hop.uri(), answer.statusCode(), answer.headers())
                    : null;
            if (next == null) {
                chain.complete(response);
                return;
            }
            HttpRequest nextHop;
            try {
                nextHop = Redirects.next(hop, answer.statusCode(), next);
            } catch (RuntimeException e) {
                chain.completeExceptionally(e);
                return;
            }
            if (!chain.isDone()) {
                hop(chain, token, replaysRejection, nextHop, response, redirects + 1);
            }
        });
    }

    /** Push promises of any hop reach the caller's handler with the caller's view of the initiating request. */
    private PushPromiseHandler<T> pushPromisesOf(HttpRequest hop) {
        if (pushPromises == null) {
            return null;
        }
        return (initiating, pushPromise, acceptor) -> pushPromises.applyPushPromise(hop, pushPromise, acceptor);
    }

    /** The future of a whole chain of hops; cancelling it cancels the hop in flight. */
    private static final class Chain<T> extends CompletableFuture<HttpResponse<T>> {

        volatile CompletableFuture<?> inFlight;

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            CompletableFuture<?> hop = inFlight;
            if (hop != null) {
                hop.cancel(mayInterruptIfRunning);
            }
            return cancelled;
        }
    }
}
