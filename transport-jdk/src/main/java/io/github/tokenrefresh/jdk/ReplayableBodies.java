package io.github.tokenrefresh.jdk;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Flow;

/**
 * Decides which requests {@link TokenRefreshHttpClient} may send a second time after the resource server rejected
 * their token, and lets a caller say so explicitly for one request.
 *
 * <p>A request is <em>replayable</em> when:
 * <ol>
 *   <li>its body publisher was marked with {@link #replayable(BodyPublisher)} (replayable) or
 *       {@link #oneShot(BodyPublisher)} (not replayable): the mark wins over every rule below;</li>
 *   <li>otherwise, it has no body publisher (as built by {@code GET()}, {@code DELETE()} or a builder given no
 *       method), or its publisher comes from {@link BodyPublishers#noBody()}, {@link BodyPublishers#ofString},
 *       {@link BodyPublishers#ofByteArray} (both forms) or {@link BodyPublishers#ofFile} (the file is read again
 *       for the replay, so it must not change in between).</li>
 * </ol>
 * Every other publisher counts as one-shot: {@link BodyPublishers#ofInputStream} (its supplier often hands out the
 * same stream twice), {@link BodyPublishers#ofByteArrays} (the {@code Iterable} may be single-use),
 * {@link BodyPublishers#fromPublisher} and any publisher of your own. Wrap such a publisher with
 * {@link #replayable(BodyPublisher)} when you know that each subscription produces the same bytes, for example an
 * {@code ofInputStream} whose supplier opens a new stream each time.
 *
 * <p>A one-shot request whose token is rejected is not replayed: the caller receives the 401 response, with its body
 * handed to the caller's {@code BodyHandler}, and the policy publishes a
 * {@link io.github.tokenrefresh.event.ReplayRefusedEvent} with reason {@code NOT_REPLAYABLE}. Redirects are a
 * different matter: like the JDK client itself, the decorator resends the body of a 307 or 308 redirect whatever the
 * publisher.
 *
 * <p>Stateless and thread-safe; the publishers it returns are as thread-safe as the ones they wrap.
 */
public final class ReplayableBodies {

    /** The JDK publishers that produce the same bytes on every subscription. */
    private static final Set<String> REPLAYABLE_JDK_PUBLISHERS = Set.copyOf(List.of(
            BodyPublishers.noBody().getClass().getName(),
            BodyPublishers.ofString("").getClass().getName(),
            BodyPublishers.ofByteArray(new byte[0]).getClass().getName(),
            BodyPublishers.ofByteArray(new byte[1], 0, 1).getClass().getName(),
            // ofFile cannot be sampled without a file; a JDK that renames the class makes file bodies one-shot.
            "jdk.internal.net.http.RequestPublishers$FilePublisher"));

    private ReplayableBodies() {
    }

    /**
     * Marks a body publisher as replayable: the decorator may subscribe to it again to replay the request after a
     * token refresh. Only mark publishers whose every subscription produces the same bytes.
     *
     * @param publisher the publisher to send
     * @return a publisher that sends what {@code publisher} sends and carries the mark
     * @throws NullPointerException if {@code publisher} is null
     */
    public static BodyPublisher replayable(BodyPublisher publisher) {
        return new MarkedPublisher(publisher, true);
    }

    /**
     * Marks a body publisher as one-shot: a request carrying it is never replayed after a rejected token, even if the
     * publisher itself could be read twice. Use it for requests that must not be sent twice for a refresh. A 307 or
     * 308 redirect still sends the body on to its target (see the class description); leave redirects off for a
     * request that must not be sent twice at all.
     *
     * @param publisher the publisher to send
     * @return a publisher that sends what {@code publisher} sends and carries the mark
     * @throws NullPointerException if {@code publisher} is null
     */
    public static BodyPublisher oneShot(BodyPublisher publisher) {
        return new MarkedPublisher(publisher, false);
    }

    /**
     * Tells whether a request may be replayed after its token was rejected, by the rules in the class description.
     *
     * @param request the request
     * @return true if the request can be sent again
     * @throws NullPointerException if {@code request} is null
     */
    public static boolean isReplayable(HttpRequest request) {
        Optional<BodyPublisher> body = request.bodyPublisher();
        if (body.isEmpty()) {
            return true;
        }
        BodyPublisher publisher = body.get();
        if (publisher instanceof MarkedPublisher) {
            return ((MarkedPublisher) publisher).replayable;
        }
        return REPLAYABLE_JDK_PUBLISHERS.contains(publisher.getClass().getName());
    }

    /** A publisher that sends exactly what it wraps and carries the caller's verdict on replaying it. */
    private static final class MarkedPublisher implements BodyPublisher {

        private final BodyPublisher delegate;
        private final boolean replayable;

        MarkedPublisher(BodyPublisher delegate, boolean replayable) {
            this.delegate = Objects.requireNonNull(delegate, "publisher must not be null");
            this.replayable = replayable;
        }

        @Override
        public long contentLength() {
            return delegate.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            delegate.subscribe(subscriber);
        }

        @Override
        public String toString() {
            return (replayable ? "replayable " : "one-shot ") + delegate;
        }
    }
}
