package io.github.tokenrefresh.apache.internal;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.AuthorizedCall;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.Closer;

import java.io.IOException;

/**
 * One classic request on its way through the policy: each send attaches the token and hands the request down the
 * exec chain; a rejected answer that will be replayed is drained and its connection given back at once.
 *
 * <p>The connection goes back to the pool before the refresh starts, not after it: the token endpoint may be served
 * from the same pool, even the same route, and a caller holding its connection while it waits for the refresh
 * could starve the refresh of one. The replay then leases a connection like any request.
 *
 * <p>Used by one thread, for one request.
 */
public final class ClassicTokenExchange implements AuthorizedCall<ClassicHttpResponse, Exception> {

    private final ClassicHttpRequest request;
    private final ExecChain.Scope scope;
    private final ExecChain chain;
    private final TokenHeaders headers;
    private final int maxReplays;

    private Header[] headersAsGiven;
    private boolean rejected;
    private boolean replayable = true;
    private ClassicHttpResponse released;

    /**
     * Creates the exchange.
     *
     * @param request the request as the chain handed it to the handler; its headers are changed in place
     * @param scope the chain's scope
     * @param chain the rest of the chain
     * @param headers the handler's token headers
     * @param maxReplays the policy's replay limit
     */
    public ClassicTokenExchange(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain,
            TokenHeaders headers, int maxReplays) {
        this.request = request;
        this.scope = scope;
        this.chain = chain;
        this.headers = headers;
        this.maxReplays = maxReplays;
    }

    @Override
    public ClassicHttpResponse send(AccessToken token, int replay) throws Exception {
        // The elements below add Host, Content-Length, cookies and such to the request itself; a replay starts
        // again from the headers as they were handed to us.
        if (headersAsGiven == null) {
            headersAsGiven = request.getHeaders();
        } else {
            request.setHeaders(headersAsGiven);
        }
        headers.attach(request, token);
        ClassicHttpResponse response = chain.proceed(request, scope);

        rejected = Rejections.isTokenRejection(response);
        if (rejected) {
            HttpEntity entity = request.getEntity();
            replayable = entity == null || entity.isRepeatable();
            if (replayable && replay < maxReplays) {
                release(response);
            }
        }
        return response;
    }

    @Override
    public boolean isTokenRejected(ClassicHttpResponse response) {
        return rejected;
    }

    /**
     * Returns whether the request body can be sent again, as decided when the rejection arrived. By then
     * HttpClient's protocol element has wrapped a one-shot entity so that it reports whether it was consumed.
     *
     * @return true without a body or with a repeatable one
     */
    @Override
    public boolean isReplayable() {
        return replayable;
    }

    @Override
    public void discard(ClassicHttpResponse response) {
        release(response);
    }

    /** Drains the body so the connection can be reused, gives the connection back, and closes the response. */
    private void release(ClassicHttpResponse response) {
        if (released == response) {
            return;
        }
        released = response;
        ExecRuntime runtime = scope.execRuntime;
        try {
            EntityUtils.consume(response.getEntity());
            runtime.releaseEndpoint();
        } catch (IOException | RuntimeException e) {
            // The connection broke while draining: it cannot be reused, the replay gets a fresh one.
            runtime.discardEndpoint();
        } finally {
            Closer.closeQuietly(response);
        }
    }
}
