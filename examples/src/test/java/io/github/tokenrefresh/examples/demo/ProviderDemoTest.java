package io.github.tokenrefresh.examples.demo;

import io.github.tokenrefresh.RefreshTrigger;
import io.github.tokenrefresh.event.RefreshOutcome;
import io.github.tokenrefresh.testing.LoopbackResourceServer;
import io.github.tokenrefresh.testing.LoopbackTokenServer;
import io.github.tokenrefresh.testing.TokenFamily;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo against a "real provider": here a token server and a resource server this test starts, which the demo
 * only knows through the environment and the resource URL it is given.
 */
class ProviderDemoTest {

    private final LoopbackTokenServer tokens = LoopbackTokenServer.start();
    private final LoopbackResourceServer api = LoopbackResourceServer.start(tokens);
    private final TokenFamily family = tokens.issueFamily();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

    @AfterEach
    void stopServers() {
        api.close();
        tokens.close();
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put(DemoOptions.ENV_TOKEN_ENDPOINT, tokens.tokenEndpoint().toString());
        env.put(DemoOptions.ENV_CLIENT_ID, LoopbackTokenServer.DEFAULT_CLIENT_ID);
        env.put(DemoOptions.ENV_CLIENT_SECRET, LoopbackTokenServer.DEFAULT_CLIENT_SECRET);
        env.put(DemoOptions.ENV_REFRESH_TOKEN, family.refreshToken());
        return env;
    }

    @Test
    void shouldCallTheGivenProviderAndReportWhatHappened() throws Exception {
        DemoOptions options = DemoOptions.parse(List.of("--duration", "2", "--threads", "3", "--rate", "20",
                "--progress", "off", api.uri("/me").toString()), env());

        try (ProviderDemo demo = new ProviderDemo(options, out)) {
            DemoSummary summary = demo.run();

            assertThat(summary.refreshCount(RefreshTrigger.INITIAL, RefreshOutcome.SUCCESS)).isEqualTo(1);
            assertThat(summary.refreshCount()).isEqualTo(tokens.requestCount());
            assertThat(summary.requests()).isPositive().isLessThanOrEqualTo(2 * 20 + 3);
            assertThat(summary.callerFailures()).isZero();
            assertThat(api.okCount()).isEqualTo(summary.requests());
            assertThat(api.requests()).allSatisfy(request -> assertThat(request.path()).isEqualTo("/me"));
            assertThat(summary.tokenEndpointRequests()).as("no token server of its own").isEmpty();
            assertThat(summary.reuseDetections()).isEmpty();
            assertThat(tokens.reuseDetections()).isZero();
        }
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("tokenrefresh demo, real provider",
                "GET " + api.uri("/me"), "client_secret_basic").doesNotContain(family.refreshToken(),
                LoopbackTokenServer.DEFAULT_CLIENT_SECRET);
    }

    @Test
    void shouldRunFromTheCommandLineAndExitWithSuccess() {
        int status = Demo.run(List.of("--duration", "1", "--threads", "2", "--progress", "off",
                api.uri("/me").toString()), env(), out);

        assertThat(status).isZero();
        assertThat(api.okCount()).isPositive();
        assertThat(tokens.requestCount()).isEqualTo(1);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("Summary, read from Micrometer", "OK: ")
                .containsPattern("refresh token reuse detections +not visible against a real provider");
    }

    @Test
    void shouldExitWithFailureWhenTheProviderRefusesTheRefreshToken() {
        tokens.revokeFamily(family.familyId());

        int status = Demo.run(List.of("--duration", "1", "--threads", "2", "--progress", "off",
                api.uri("/me").toString()), env(), out);

        assertThat(status).isEqualTo(Demo.RUN_FAILED);
        assertThat(api.requestCount()).isZero();
        assertThat(tokens.requestCount()).isEqualTo(1);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("refresh (initial) rejected for good",
                "FAILED: no call succeeded");
    }
}
