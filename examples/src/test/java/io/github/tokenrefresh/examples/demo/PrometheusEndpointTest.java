package io.github.tokenrefresh.examples.demo;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrometheusEndpointTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PrometheusEndpoint endpoint = PrometheusEndpoint.start(registry, 0);
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).GET().build(), BodyHandlers.ofString());
    }

    @Test
    void shouldServeTheScrapeOnLoopback() throws Exception {
        Counter.builder("demo.requests").tag("client", "jdk").register(registry).increment(3);

        HttpResponse<String> response = get(endpoint.uri());

        assertThat(endpoint.uri().toString()).startsWith("http://127.0.0.1:").endsWith("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("demo_requests_total{client=\"jdk\"} 3.0");
    }

    @Test
    void shouldAnswerOtherPathsWithNotFound() throws Exception {
        HttpResponse<String> response = get(endpoint.uri().resolve("/"));

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void shouldNameThePortWhenItIsTaken() {
        int taken = endpoint.uri().getPort();

        assertThatThrownBy(() -> PrometheusEndpoint.start(registry, taken))
                .hasMessage("could not serve Prometheus metrics on 127.0.0.1:" + taken
                        + "; is the port taken? choose another with --prometheus");
    }
}
