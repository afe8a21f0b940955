package io.github.tokenrefresh.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.function.IntConsumer;

/**
 * An exchange that reports its status the moment the response headers go out. The resource
 * server records a request then, rather than after the handler returns, so a client that has
 * its response in hand always finds the request already recorded.
 */
final class RecordingExchange extends HttpExchange {

    private final HttpExchange exchange;
    private final IntConsumer onStatus;
    private boolean reported;

    RecordingExchange(HttpExchange exchange, IntConsumer onStatus) {
        this.exchange = exchange;
        this.onStatus = onStatus;
    }

    /** Reports {@link RecordedRequest#NO_STATUS} if no response was sent. */
    void finish() {
        report(RecordedRequest.NO_STATUS);
    }

    @Override
    public void sendResponseHeaders(int status, long responseLength) throws IOException {
        report(status);
        exchange.sendResponseHeaders(status, responseLength);
    }

    @Override
    public Headers getRequestHeaders() {
        return exchange.getRequestHeaders();
    }

    @Override
    public Headers getResponseHeaders() {
        return exchange.getResponseHeaders();
    }

    @Override
    public URI getRequestURI() {
        return exchange.getRequestURI();
    }

    @Override
    public String getRequestMethod() {
        return exchange.getRequestMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return exchange.getHttpContext();
    }

    @Override
    public void close() {
        exchange.close();
    }

    @Override
    public InputStream getRequestBody() {
        return exchange.getRequestBody();
    }

    @Override
    public OutputStream getResponseBody() {
        return exchange.getResponseBody();
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return exchange.getRemoteAddress();
    }

    @Override
    public int getResponseCode() {
        return exchange.getResponseCode();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return exchange.getLocalAddress();
    }

    @Override
    public String getProtocol() {
        return exchange.getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return exchange.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        exchange.setAttribute(name, value);
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
        exchange.setStreams(in, out);
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return exchange.getPrincipal();
    }

    private void report(int status) {
        if (!reported) {
            reported = true;
            onStatus.accept(status);
        }
    }
}
