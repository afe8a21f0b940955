package io.github.tokenrefresh.jdk.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * A delegate's response as the decorator hands it to its caller: {@link #request()} is the request as the caller
 * built it (or the redirect hop derived from it), without the policy's {@code Authorization} header, just as the
 * JDK client never shows the credentials its own authenticator adds; {@link #previousResponse()} links the
 * redirects the decorator followed. It also records whether the policy's token went with the request, which tells
 * a rejection of that token from any other 401.
 *
 * <p>Immutable apart from the body object itself; safe to share across threads once received.
 *
 * @param <T> the body type
 */
public final class DecoratedResponse<T> implements HttpResponse<T> {

    /** {@code HttpResponse.connectionLabel()}, which Java 25 added; null on older runtimes. */
    private static final MethodHandle CONNECTION_LABEL = findConnectionLabel();

    private final HttpResponse<T> response;
    private final HttpRequest request;
    private final HttpResponse<T> previous;
    private final boolean authorized;

    /**
     * Wraps a delegate's response.
     *
     * @param response what the delegate returned
     * @param request the request to report, without the policy's token
     * @param previous the redirect answer that led here, or null
     * @param authorized whether the policy's token went with the request
     */
    public DecoratedResponse(HttpResponse<T> response, HttpRequest request, HttpResponse<T> previous,
            boolean authorized) {
        this.response = response;
        this.request = request;
        this.previous = previous;
        this.authorized = authorized;
    }

    /**
     * Tells whether the request carried the policy's token.
     *
     * @return true if the token was attached
     */
    public boolean authorized() {
        return authorized;
    }

    @Override
    public int statusCode() {
        return response.statusCode();
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public Optional<HttpResponse<T>> previousResponse() {
        return Optional.ofNullable(previous);
    }

    @Override
    public HttpHeaders headers() {
        return response.headers();
    }

    @Override
    public T body() {
        return response.body();
    }

    @Override
    public Optional<SSLSession> sslSession() {
        return response.sslSession();
    }

    @Override
    public URI uri() {
        return response.uri();
    }

    @Override
    public HttpClient.Version version() {
        return response.version();
    }

    /**
     * Returns the delegate's connection label: this overrides {@code HttpResponse.connectionLabel()} on Java 25 and
     * later, where it exists, and is empty on older runtimes.
     *
     * @return the label of the connection the answer came on, or empty
     */
    @SuppressWarnings("unchecked")
    public Optional<String> connectionLabel() {
        if (CONNECTION_LABEL == null) {
            return Optional.empty();
        }
        try {
            return (Optional<String>) (Optional<?>) CONNECTION_LABEL.invokeExact(response);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("HttpResponse.connectionLabel() failed", t);
        }
    }

    @Override
    public String toString() {
        return "(" + request.method() + " " + request.uri() + ") " + statusCode();
    }

    private static MethodHandle findConnectionLabel() {
        try {
            return MethodHandles.publicLookup().findVirtual(HttpResponse.class, "connectionLabel",
                    MethodType.methodType(Optional.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }
}
