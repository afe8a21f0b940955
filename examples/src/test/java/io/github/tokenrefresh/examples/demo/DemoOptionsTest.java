package io.github.tokenrefresh.examples.demo;

import io.github.tokenrefresh.oauth2.ClientAuthentication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoOptionsTest {

    private static final String RESOURCE = "https://api.example.com/orders/42";

    private static DemoOptions parse(String... args) {
        return DemoOptions.parse(List.of(args), Map.of());
    }

    private static Map<String, String> providerEnv() {
        Map<String, String> env = new HashMap<>();
        env.put(DemoOptions.ENV_TOKEN_ENDPOINT, "https://idp.example.com/oauth2/token");
        env.put(DemoOptions.ENV_CLIENT_ID, "demo-client");
        env.put(DemoOptions.ENV_CLIENT_SECRET, "s3cr3t-value");
        env.put(DemoOptions.ENV_REFRESH_TOKEN, "rt-value-from-login");
        return env;
    }

    @Test
    void shouldRunTheLoopbackDemoWithTheDocumentedDefaults() {
        DemoOptions options = parse();

        assertThat(options.mode()).isEqualTo(DemoOptions.Mode.LOOPBACK);
        assertThat(options.duration()).isEqualTo(DemoOptions.DEFAULT_DURATION);
        assertThat(options.threads()).isEqualTo(DemoOptions.DEFAULT_THREADS);
        assertThat(options.tokenLifetime()).isEqualTo(DemoOptions.DEFAULT_TOKEN_LIFETIME);
        assertThat(options.outage()).isTrue();
        assertThat(options.revocation()).isTrue();
        assertThat(options.rate()).isZero();
        assertThat(options.prometheusPort()).isEmpty();
        assertThat(options.serveFor()).isEmpty();
        assertThat(options.progress()).isEqualTo(DemoOptions.Progress.INLINE);
        assertThat(options.provider()).isEmpty();
    }

    @Test
    void shouldPrintProgressAsLinesOnCi() {
        assertThat(DemoOptions.parse(List.of(), Map.of("CI", "true")).progress())
                .isEqualTo(DemoOptions.Progress.LINES);
    }

    @Test
    void shouldReadOptionsWithSpacesAndWithEqualsSigns() {
        DemoOptions options = parse("--duration", "30", "--threads=9", "--token-lifetime", "2", "--outage=off",
                "--revocation", "off", "--rate", "100", "--prometheus=9400", "--serve-for", "60", "--progress=off");

        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.threads()).isEqualTo(9);
        assertThat(options.tokenLifetime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.outage()).isFalse();
        assertThat(options.revocation()).isFalse();
        assertThat(options.rate()).isEqualTo(100);
        assertThat(options.prometheusPort()).hasValue(9400);
        assertThat(options.serveFor()).hasValue(Duration.ofSeconds(60));
        assertThat(options.progress()).isEqualTo(DemoOptions.Progress.OFF);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--duration 0          | --duration must be a whole number from 1 to 3600, was '0'",
        "--duration soon       | --duration must be a whole number from 1 to 3600, was 'soon'",
        "--threads 1000        | --threads must be a whole number from 1 to 256, was '1000'",
        "--token-lifetime -1   | --token-lifetime must be a whole number from 1 to 3600, was '-1'",
        "--outage maybe        | --outage must be on or off, was 'maybe'",
        "--prometheus 70000    | --prometheus must be a whole number from 0 to 65535, was '70000'",
        "--progress fancy      | --progress must be inline, lines or off, was 'fancy'",
        "--colour blue         | unknown option '--colour'",
        "--threads             | --threads needs a value",
        "--serve-for 10        | --serve-for keeps the Prometheus endpoint up after the run; it needs --prometheus",
        "https://a.example https://b.example | only one resource URL may be given",
    })
    void shouldRefuseABadCommandLineNamingTheOptionAndTheValue(String commandLine, String message) {
        assertThatThrownBy(() -> parse(commandLine.trim().split(" +")))
                .isInstanceOf(DemoUsageException.class)
                .hasMessageContaining(message.trim());
    }

    @Test
    void shouldNameEveryMissingProviderVariable() {
        assertThatThrownBy(() -> DemoOptions.parse(List.of(RESOURCE), Map.of()))
                .isInstanceOf(DemoUsageException.class)
                .hasMessageStartingWith("TOKENREFRESH_TOKEN_ENDPOINT and TOKENREFRESH_CLIENT_ID and "
                        + "TOKENREFRESH_REFRESH_TOKEN are not set: a resource URL was given");
    }

    @Test
    void shouldNameOnlyTheVariableThatIsMissing() {
        Map<String, String> env = providerEnv();
        env.remove(DemoOptions.ENV_REFRESH_TOKEN);

        assertThatThrownBy(() -> DemoOptions.parse(List.of(RESOURCE), env))
                .isInstanceOf(DemoUsageException.class)
                .hasMessageStartingWith("TOKENREFRESH_REFRESH_TOKEN is not set: a resource URL was given");
    }

    @Test
    void shouldTreatABlankVariableAsMissing() {
        Map<String, String> env = providerEnv();
        env.put(DemoOptions.ENV_CLIENT_ID, "  ");

        assertThatThrownBy(() -> DemoOptions.parse(List.of(RESOURCE), env))
                .hasMessageStartingWith("TOKENREFRESH_CLIENT_ID is not set");
    }

    @Test
    void shouldReadAConfidentialProviderFromTheEnvironment() {
        DemoOptions options = DemoOptions.parse(List.of("--duration", "5", RESOURCE), providerEnv());

        assertThat(options.mode()).isEqualTo(DemoOptions.Mode.PROVIDER);
        assertThat(options.rate()).isEqualTo(DemoOptions.DEFAULT_PROVIDER_RATE);
        DemoOptions.Provider provider = options.provider().orElseThrow();
        assertThat(provider.resource()).isEqualTo(URI.create(RESOURCE));
        assertThat(provider.tokenEndpoint()).isEqualTo(URI.create("https://idp.example.com/oauth2/token"));
        assertThat(provider.clientAuthentication().method())
                .isEqualTo(ClientAuthentication.Method.CLIENT_SECRET_BASIC);
        assertThat(provider.clientAuthentication().clientId()).isEqualTo("demo-client");
        assertThat(provider.refreshToken().reveal()).isEqualTo("rt-value-from-login");
        assertThat(options.toString()).doesNotContain("s3cr3t-value", "rt-value-from-login");
    }

    @Test
    void shouldAuthenticateInTheFormWhenAsked() {
        Map<String, String> env = providerEnv();
        env.put(DemoOptions.ENV_CLIENT_AUTH, "POST");

        DemoOptions options = DemoOptions.parse(List.of(RESOURCE), env);

        assertThat(options.provider().orElseThrow().clientAuthentication().method())
                .isEqualTo(ClientAuthentication.Method.CLIENT_SECRET_POST);
    }

    @Test
    void shouldTreatAClientWithoutSecretAsPublic() {
        Map<String, String> env = providerEnv();
        env.remove(DemoOptions.ENV_CLIENT_SECRET);

        DemoOptions options = DemoOptions.parse(List.of(RESOURCE), env);

        assertThat(options.provider().orElseThrow().clientAuthentication().method())
                .isEqualTo(ClientAuthentication.Method.NONE);
    }

    @Test
    void shouldRefuseAnUnknownClientAuthentication() {
        Map<String, String> env = providerEnv();
        env.put(DemoOptions.ENV_CLIENT_AUTH, "jwt");

        assertThatThrownBy(() -> DemoOptions.parse(List.of(RESOURCE), env))
                .isInstanceOf(DemoUsageException.class)
                .hasMessage("TOKENREFRESH_CLIENT_AUTH must be basic or post, was 'jwt'");
    }

    @Test
    void shouldRefuseTokensOverPlainHttpToARemoteHost() {
        assertThatThrownBy(() -> DemoOptions.parse(List.of("http://api.example.com/orders"), providerEnv()))
                .isInstanceOf(DemoUsageException.class)
                .hasMessage("the resource URL 'http://api.example.com/orders' uses plain http; tokens travel only "
                        + "over https, or http to a loopback host");

        Map<String, String> env = providerEnv();
        env.put(DemoOptions.ENV_TOKEN_ENDPOINT, "idp.example.com/token");
        assertThatThrownBy(() -> DemoOptions.parse(List.of(RESOURCE), env))
                .hasMessage("TOKENREFRESH_TOKEN_ENDPOINT 'idp.example.com/token' must be an absolute https URL "
                        + "(or http to a loopback host)");
    }

    @Test
    void shouldRefuseLoopbackIncidentsAgainstARealProvider() {
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--outage", "on", RESOURCE), providerEnv()))
                .isInstanceOf(DemoUsageException.class)
                .hasMessageStartingWith("--outage applies to the loopback demo only");
    }

    @Test
    void shouldExitWithAUsageErrorAndTheReason() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int status = Demo.run(List.of(RESOURCE), Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(Demo.USAGE_ERROR);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("demo: TOKENREFRESH_TOKEN_ENDPOINT and TOKENREFRESH_CLIENT_ID and "
                        + "TOKENREFRESH_REFRESH_TOKEN are not set")
                .contains("Run with --help for the options.");
    }

    @Test
    void shouldPrintTheHelp() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int status = Demo.run(List.of("--help"), Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(status).isZero();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(DemoOptions.usage() + System.lineSeparator())
                .contains("--duration SECONDS", "--prometheus PORT", DemoOptions.ENV_REFRESH_TOKEN);
    }
}
