package io.github.tokenrefresh.oauth2;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletionStage;

/**
 * A minimal {@link TokenEndpointTransport} over the JDK client, so the core's grants can be tested across real HTTP
 * without depending on the transport modules (which depend on core).
 */
final class JdkTestTransport implements TokenEndpointTransport {

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Override
    public CompletionStage<TokenEndpointResponse> send(TokenEndpointRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .timeout(request.timeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(builder::header);
        return client.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofInputStream())
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
