package io.github.tokenrefresh.micrometer;

import io.github.tokenrefresh.oauth2.TokenEndpointRequest;
import io.github.tokenrefresh.oauth2.TokenEndpointResponse;
import io.github.tokenrefresh.oauth2.TokenEndpointTransport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletionStage;

/**
 * A minimal token endpoint transport over the JDK's HTTP client, so this module's tests make real HTTP calls
 * without depending on the transport modules.
 */
final class JdkTestTransport implements TokenEndpointTransport {

    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @Override
    public CompletionStage<TokenEndpointResponse> send(TokenEndpointRequest request) {
        HttpRequest.Builder http = HttpRequest.newBuilder(request.uri())
                .timeout(request.timeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(http::header);
        return client.sendAsync(http.build(), HttpResponse.BodyHandlers.ofInputStream())
                .thenApply(response -> {
                    try (InputStream body = response.body()) {
                        return new TokenEndpointResponse(response.statusCode(), response.headers().map(),
                                TokenEndpointResponse.readBounded(body, request.maxResponseBytes()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
