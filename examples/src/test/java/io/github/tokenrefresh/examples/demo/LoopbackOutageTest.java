package io.github.tokenrefresh.examples.demo;

import io.github.tokenrefresh.event.RefreshOutcome;
import io.github.tokenrefresh.testing.TokenRequest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A loopback run with the token endpoint outage and one-second tokens: the refreshes fail and back off during the
 * outage, the policy recovers after it, the callers see at most retryable token failures, and no refresh token is
 * ever presented twice.
 */
class LoopbackOutageTest {

    @Test
    void shouldRideOutATokenEndpointOutageAndRecover() throws Exception {
        DemoOptions options = DemoOptions.parse(List.of("--duration", "7", "--threads", "3", "--token-lifetime", "1",
                "--revocation", "off", "--progress", "off"), Map.of());
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        try (LoopbackDemo demo = new LoopbackDemo(options, new PrintStream(output, true, StandardCharsets.UTF_8))) {
            DemoSummary summary = demo.run();

            Instant outageEnded = demo.outageEndedAt().orElseThrow();
            List<TokenRequest> afterOutage = demo.tokenServer().tokenRequests().stream()
                    .filter(request -> request.receivedAt().isAfter(outageEnded))
                    .toList();
            long successfulRefreshes = summary.refreshes().stream()
                    .filter(row -> row.outcome().equals(RefreshOutcome.SUCCESS.tagValue()))
                    .mapToLong(DemoSummary.RefreshRow::count)
                    .sum();

            assertThat(summary.refreshes()).anySatisfy(row ->
                    assertThat(row.outcome()).isEqualTo(RefreshOutcome.TRANSIENT_FAILURE.tagValue()));
            assertThat(afterOutage).as("refreshes after the outage").isNotEmpty();
            assertThat(demo.tokenServer().issuedCount()).isEqualTo(successfulRefreshes);
            assertThat(summary.requestsByOutcome()).containsKey(DemoMeters.SUCCESS);
            assertThat(summary.requestsByOutcome().keySet())
                    .isSubsetOf(DemoMeters.SUCCESS, "TokenEndpointUnavailableException");
            assertThat(summary.breakers().get(DemoResilience.RESOURCE).opened()).isZero();
            assertThat(summary.reuseDetections()).hasValue(0);
            assertThat(output.toString(StandardCharsets.UTF_8))
                    .contains("incident: token endpoint outage for", "answered 503 temporarily_unavailable",
                            "incident over: the token endpoint answers normally again")
                    .containsPattern("refresh \\(proactive\\) failed: token endpoint (answered 503|not called)");
        }
    }
}
