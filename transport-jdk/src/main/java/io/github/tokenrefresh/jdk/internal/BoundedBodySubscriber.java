package io.github.tokenrefresh.jdk.internal;

import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects at most {@code limit} bytes of a response body without blocking: once it holds that many it cancels the
 * subscription, which makes the JDK client stop reading and drop the connection, and completes with what it has.
 * A body that ends sooner completes with all of it.
 *
 * <p>Signals arrive one at a time, as the Flow protocol guarantees; {@link #getBody()} may be read from any thread.
 */
public final class BoundedBodySubscriber implements BodySubscriber<byte[]> {

    private static final int INITIAL_CAPACITY = 1024;

    private final int limit;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private byte[] buffer;
    private int size;
    private boolean done;

    /**
     * Creates the subscriber.
     *
     * @param limit the most bytes to keep, positive
     */
    public BoundedBodySubscriber(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        this.limit = limit;
        this.buffer = new byte[Math.min(limit, INITIAL_CAPACITY)];
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        if (this.subscription != null) {
            subscription.cancel();
            return;
        }
        this.subscription = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (done) {
            return;
        }
        for (ByteBuffer item : items) {
            int take = Math.min(item.remaining(), limit - size);
            ensureCapacity(size + take);
            item.get(buffer, size, take);
            size += take;
            if (size == limit) {
                done = true;
                subscription.cancel();
                body.complete(Arrays.copyOf(buffer, size));
                return;
            }
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable failure) {
        if (!done) {
            done = true;
            body.completeExceptionally(failure);
        }
    }

    @Override
    public void onComplete() {
        if (!done) {
            done = true;
            body.complete(Arrays.copyOf(buffer, size));
        }
    }

    private void ensureCapacity(int needed) {
        if (needed > buffer.length) {
            int grown = (int) Math.min((long) limit, Math.max((long) buffer.length * 2, needed));
            buffer = Arrays.copyOf(buffer, grown);
        }
    }
}
