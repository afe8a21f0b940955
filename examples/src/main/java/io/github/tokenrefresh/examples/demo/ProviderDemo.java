package io.github.tokenrefresh.examples.demo;

import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.jdk.JdkTokenEndpointTransport;
import io.github.tokenrefresh.oauth2.RefreshTokenGrant;
import io.github.tokenrefresh.oauth2.TokenEndpoint;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * The demo against a real provider: the token endpoint, client and refresh token come from the environment (see
 * {@link DemoOptions.Provider}), every call is a {@code GET} of the resource URL, and the demo starts no server and
 * injects nothing; it only reports what happened. The policy uses the library's default thresholds, since a real
 * provider's tokens usually live an hour, and the callers are rate-limited ({@link DemoOptions#rate()}) so as not to
 * load an API that is not yours to load-test.
 *
 * <p>If the provider rotates refresh tokens, the one the run started with is used up: the policy holds its successor
 * in memory only, and presenting the old one again may make the provider revoke the session.
 *
 * <p>Used by one thread.
 */
public final class ProviderDemo implements AutoCloseable {

    /** The policy's name, the {@code name} tag of its meters. */
    public static final String POLICY_NAME = "provider-api";

    private final DemoOptions options;
    private final DemoOptions.Provider provider;
    private final DemoSession session;
    private final TokenRefreshPolicy policy;

    /**
     * Builds the policy; nothing is called until {@link #run()}.
     *
     * @param options the options, in provider mode
     * @param out where to print progress, events and the summary
     * @throws IllegalArgumentException if the options are for loopback mode
     */
    public ProviderDemo(DemoOptions options, PrintStream out) {
        this.options = Objects.requireNonNull(options, "options must not be null");
        this.provider = options.provider().orElseThrow(() -> new IllegalArgumentException(
                "ProviderDemo needs options in provider mode, got " + options.mode()));
        this.session = new DemoSession(options, out);

        TokenEndpoint endpoint = TokenEndpoint.builder(provider.tokenEndpoint())
                .clientAuthentication(provider.clientAuthentication())
                .transport(JdkTokenEndpointTransport.create())
                .build();
        RefreshTokenGrant grant = RefreshTokenGrant.builder(endpoint)
                .initialRefreshToken(provider.refreshToken())
                .build();
        TokenRefreshConfig config = TokenRefreshConfig.custom().allowedOrigin(provider.resource()).build();
        this.policy = TokenRefreshPolicy.of(POLICY_NAME, config,
                session.guard(grant, DemoResilience.PROVIDER_ENDPOINT_OPEN_WAIT));
    }

    /**
     * Runs the callers for the configured time and reads the summary.
     *
     * @return the summary, read from Micrometer
     * @throws InterruptedException if the thread is interrupted
     * @throws IOException if a client could not be closed
     */
    public DemoSummary run() throws InterruptedException, IOException {
        DemoConsole console = session.console();
        console.line("tokenrefresh demo, real provider");
        console.line("  token endpoint   " + provider.tokenEndpoint() + " (" + provider.clientAuthentication() + ")");
        console.line("  resource         GET " + provider.resource());
        console.line(String.format(Locale.ROOT, "  callers          %d for %d s%s, spread over the JDK client, "
                        + "Apache classic and Apache async", options.threads(), options.duration().toSeconds(),
                options.rate() == 0 ? "" : " at " + options.rate() + " calls/s in all"));
        console.line("  note             if the provider rotates refresh tokens, " + DemoOptions.ENV_REFRESH_TOKEN
                + " is used up by this run");
        console.line("");
        session.startEndpoint();
        return session.run(policy, provider.resource(), () -> { });
    }

    /**
     * Keeps the Prometheus endpoint up after the run, as {@code --serve-for} says; returns at once without one.
     *
     * @throws InterruptedException if the thread is interrupted
     */
    public void serveAfterRun() throws InterruptedException {
        session.serveAfterRun();
    }

    /**
     * Returns the registry the summary is read from.
     *
     * @return the registry holding every meter of the demo
     */
    public MeterRegistry meterRegistry() {
        return session.meters().summaryRegistry();
    }

    @Override
    public void close() {
        policy.close();
        session.close();
    }
}
