package io.github.tokenrefresh.apache.internal;

import io.github.tokenrefresh.oauth2.TokenEndpointResponse;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a token endpoint's answer without ever holding more than {@code maxBytes + 1} body bytes.
 *
 * <p>Once the cap is passed the answer is complete as far as the core cares (it will call the body oversized):
 * {@code early} is completed with what was read, and the consumer then fails the exchange on the reactor thread it
 * runs on, which closes the connection instead of reading the rest. Used by one exchange.
 */
public final class BoundedResponseConsumer implements AsyncResponseConsumer<TokenEndpointResponse> {

    private final int limit;
    private final CompletableFuture<TokenEndpointResponse> early;

    private volatile int status;
    private volatile Map<String, List<String>> headers;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private volatile FutureCallback<TokenEndpointResponse> resultCallback;

    /**
     * Creates the consumer.
     *
     * @param maxBytes the most body bytes the answer may have; {@link Integer#MAX_VALUE} reads any answer whole
     * @param early completed with a truncated answer as soon as more than {@code maxBytes} arrived
     */
    public BoundedResponseConsumer(int maxBytes, CompletableFuture<TokenEndpointResponse> early) {
        this.limit = maxBytes == Integer.MAX_VALUE ? Integer.MAX_VALUE : maxBytes + 1;
        this.early = early;
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context,
            FutureCallback<TokenEndpointResponse> resultCallback) {
        this.status = response.getCode();
        this.headers = TokenRequests.headers(response.getHeaders());
        if (entityDetails == null) {
            resultCallback.completed(build());
        } else {
            this.resultCallback = resultCallback;
        }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        capacityChannel.update(limit - body.size());
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        int take = Math.min(limit - body.size(), src.remaining());
        byte[] chunk = new byte[take];
        src.get(chunk);
        body.write(chunk, 0, take);
        if (body.size() >= limit) {
            early.complete(build());
            throw new IOException("the token endpoint's answer is longer than " + (limit - 1)
                    + " bytes; the rest is not read");
        }
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        FutureCallback<TokenEndpointResponse> callback = resultCallback;
        if (callback != null) {
            callback.completed(build());
        }
    }

    /** Nothing to do: HttpClient reports the failure through the exchange's own callback. */
    @Override
    public void failed(Exception cause) {
    }

    @Override
    public void releaseResources() {
        resultCallback = null;
    }

    private TokenEndpointResponse build() {
        return new TokenEndpointResponse(status, headers, body.toByteArray());
    }
}
