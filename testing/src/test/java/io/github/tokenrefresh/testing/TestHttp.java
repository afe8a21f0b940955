package io.github.tokenrefresh.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;

/** The JDK client the fixture tests talk to the servers with, plus token request shortcuts. */
final class TestHttp {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    private TestHttp() {
    }

    static HttpClient client() {
        return CLIENT;
    }

    static Map<String, String> form(String... namesAndValues) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return form;
    }

    static String basic(String clientId, String secret) {
        String joined = encode(clientId) + ":" + encode(secret);
        return "Basic " + Base64.getEncoder().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
    }

    static HttpRequest tokenRequest(URI endpoint, String authorization, Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((name, value) -> body.add(encode(name) + "=" + encode(value)));
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    /** A refresh_token grant authenticated with the server's default client by Basic. */
    static HttpResponse<String> refresh(LoopbackTokenServer server, String refreshToken)
            throws IOException, InterruptedException {
        return send(refreshRequest(server, refreshToken));
    }

    static HttpRequest refreshRequest(LoopbackTokenServer server, String refreshToken) {
        return tokenRequest(server.tokenEndpoint(),
                basic(LoopbackTokenServer.DEFAULT_CLIENT_ID, LoopbackTokenServer.DEFAULT_CLIENT_SECRET),
                form("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    static HttpResponse<String> get(URI uri, String bearerToken) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        if (bearerToken != null) {
            builder.header("Authorization", "Bearer " + bearerToken);
        }
        return send(builder.build());
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Reads a string member of a flat JSON object; enough for the fixtures' own answers. */
    static String jsonString(String json, String name) {
        String key = "\"" + name + "\":\"";
        int start = json.indexOf(key);
        if (start < 0) {
            return null;
        }
        start += key.length();
        return json.substring(start, json.indexOf('"', start));
    }

    /** Reads a number member of a flat JSON object. */
    static Long jsonNumber(String json, String name) {
        String key = "\"" + name + "\":";
        int start = json.indexOf(key);
        if (start < 0) {
            return null;
        }
        start += key.length();
        int end = start;
        while (end < json.length() && (Character.isDigit(json.charAt(end)) || json.charAt(end) == '-')) {
            end++;
        }
        return Long.parseLong(json.substring(start, end));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
