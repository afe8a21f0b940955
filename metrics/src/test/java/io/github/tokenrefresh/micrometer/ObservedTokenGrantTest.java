package io.github.tokenrefresh.micrometer;

import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenEndpointProtocolException;
import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenGrant;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenResponse;
import io.github.tokenrefresh.event.RefreshEvent;
import io.github.tokenrefresh.jdk.JdkTokenEndpointTransport;
import io.github.tokenrefresh.oauth2.ClientAuthentication;
import io.github.tokenrefresh.oauth2.RefreshTokenGrant;
import io.github.tokenrefresh.oauth2.TokenEndpoint;
import io.github.tokenrefresh.testing.LoopbackTokenServer;
import io.github.tokenrefresh.testing.ScriptedResponse;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.GlobalObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObservedTokenGrantTest {

    private final ManualTime time = new ManualTime();
    private final TestObservationRegistry observations = TestObservationRegistry.create();
    private final ScriptedGrant grant = new ScriptedGrant();

    @AfterEach
    void tearDown() {
        time.close();
    }

    private TokenRefreshPolicy policy(TokenGrant observed) {
        return TokenRefreshPolicy.of("orders", time.config().build(), observed);
    }

    @Test
    @DisplayName("A successful refresh is one stopped observation named and keyed as documented")
    void shouldObserveASuccessfulRefresh() {
        policy(ObservedTokenGrant.wrap(grant, observations)).acquireToken();

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsEqualTo(1)
                .hasSingleObservationThat()
                .hasNameEqualTo(DefaultTokenRefreshObservationConvention.NAME)
                .hasContextualNameEqualTo("token refresh initial")
                .hasLowCardinalityKeyValue("name", "orders")
                .hasLowCardinalityKeyValue("trigger", "initial")
                .hasLowCardinalityKeyValue("outcome", "success")
                .doesNotHaveHighCardinalityKeyValueWithKey("token.endpoint")
                .doesNotHaveError()
                .hasBeenStarted()
                .hasBeenStopped();
    }

    @Test
    @DisplayName("The observation carries exactly the documented low-cardinality keys")
    void shouldCarryTheDocumentedKeys() {
        policy(ObservedTokenGrant.wrap(grant, observations)).acquireToken();

        String[] documented = Arrays.stream(TokenRefreshObservationDocumentation.TOKEN_GRANT
                .getLowCardinalityKeyNames()).map(KeyName::asString).toArray(String[]::new);
        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .satisfies(context -> assertThat(context.getLowCardinalityKeyValues().stream().map(KeyValue::getKey))
                        .containsExactlyInAnyOrder(documented));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new TokenEndpointUnavailableException("HTTP 503", 503, null, null), "transient_failure"),
                Arguments.of(new TokenEndpointProtocolException("not JSON", 200, null), "protocol_error"),
                Arguments.of(new ReauthenticationRequiredException("invalid_grant", "invalid_grant", null),
                        "rejected"),
                Arguments.of(new IllegalStateException("a bug in a custom grant"), "transient_failure"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("failures")
    @DisplayName("A failed refresh is stopped with its outcome classified as the refresh timer does, and the error")
    void shouldClassifyFailuresLikeTheTimer(RuntimeException failure, String outcome) {
        TokenRefreshPolicy policy = policy(ObservedTokenGrant.wrap(grant.thenFail(failure), observations));
        RefreshEventOutcomes policyOutcomes = RefreshEventOutcomes.bind(policy);

        assertThatThrownBy(policy::acquireToken).isInstanceOf(RuntimeException.class);

        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasLowCardinalityKeyValue("outcome", outcome)
                .hasBeenStopped()
                .assertThatError().isSameAs(failure);
        assertThat(policyOutcomes.outcomes()).containsExactly(outcome);
    }

    @Test
    @DisplayName("A grant that throws instead of returning a stage still stops its observation, and the policy fails")
    void shouldStopWhenTheGrantThrows() {
        IllegalStateException thrown = new IllegalStateException("thrown, not returned");
        TokenRefreshPolicy policy = policy(ObservedTokenGrant.wrap(request -> {
            throw thrown;
        }, observations));

        assertThatThrownBy(policy::acquireToken).isInstanceOf(TokenEndpointUnavailableException.class);

        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasLowCardinalityKeyValue("outcome", "transient_failure")
                .hasBeenStopped()
                .assertThatError().isSameAs(thrown);
    }

    @Test
    @DisplayName("A grant that returns no stage is a transient failure for the observation as for the policy")
    void shouldStopWhenTheGrantReturnsNoStage() {
        TokenRefreshPolicy policy = policy(ObservedTokenGrant.wrap(request -> null, observations));

        assertThatThrownBy(policy::acquireToken).isInstanceOf(TokenEndpointUnavailableException.class);

        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasLowCardinalityKeyValue("outcome", "transient_failure")
                .hasBeenStopped()
                .assertThatError().isInstanceOf(NullPointerException.class);
    }

    @Test
    @DisplayName("The observation is in scope while the grant sends, and stopped before the policy hands out tokens")
    void shouldScopeTheSendAndStopBeforeThePolicyContinues() {
        AtomicReference<String> inScope = new AtomicReference<>();
        List<String> order = new CopyOnWriteArrayList<>();
        observations.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                order.add("observation stopped");
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        CompletableFuture<TokenResponse> answer = new CompletableFuture<>();
        TokenRefreshPolicy policy = policy(ObservedTokenGrant.wrap(request -> {
            Observation current = observations.getCurrentObservation();
            inScope.set(current == null ? null : current.getContext().getName());
            return answer;
        }, observations));
        policy.getEventPublisher().onRefreshSucceeded(event -> order.add("refresh succeeded"));

        CompletableFuture<?> token = policy.acquireTokenAsync();
        assertThat(observations.getCurrentObservation()).isNull();
        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat().isNotStopped();
        answer.complete(TokenResponse.builder(Secret.of("access-1")).build());

        assertThat(token).isCompleted();
        assertThat(inScope.get()).isEqualTo(DefaultTokenRefreshObservationConvention.NAME);
        assertThat(order).containsExactly("observation stopped", "refresh succeeded");
    }

    @Test
    @DisplayName("The token endpoint is a high-cardinality key without credentials, query or fragment")
    void shouldReportTheTokenEndpointWithoutSecrets() {
        ObservedTokenGrant observed = ObservedTokenGrant.builder(grant, observations)
                .tokenEndpoint(URI.create("https://client:s3cret@auth.example.com:8443/oauth2/token?tenant=a#top"))
                .build();
        policy(observed).acquireToken();

        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasHighCardinalityKeyValue("token.endpoint", "https://auth.example.com:8443/oauth2/token");
        assertThatThrownBy(() -> ObservedTokenGrant.builder(grant, observations).tokenEndpoint(URI.create("/token")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenEndpoint");
    }

    @Test
    @DisplayName("A convention given to the builder renames the observation and adds key values")
    void shouldUseAGivenConvention() {
        TokenRefreshObservationConvention custom = new DefaultTokenRefreshObservationConvention() {
            @Override
            public String getName() {
                return "myapp.oauth.grant";
            }

            @Override
            public KeyValues getLowCardinalityKeyValues(TokenRefreshObservationContext context) {
                return super.getLowCardinalityKeyValues(context).and("tenant", "acme");
            }
        };
        policy(ObservedTokenGrant.builder(grant, observations).convention(custom).build()).acquireToken();

        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasNameEqualTo("myapp.oauth.grant")
                .hasLowCardinalityKeyValue("tenant", "acme")
                .hasLowCardinalityKeyValue("outcome", "success");
    }

    @Test
    @DisplayName("A global convention of the observation registry applies when the builder names none")
    void shouldUseTheRegistrysGlobalConvention() {
        observations.observationConfig().observationConvention(new GlobalGrantConvention());
        policy(ObservedTokenGrant.wrap(grant, observations)).acquireToken();

        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasNameEqualTo("global.token.grant")
                .hasLowCardinalityKeyValue("policy", "orders");
    }

    @Test
    @DisplayName("Over real HTTP, every token endpoint request is one observation with the endpoint's outcome")
    void shouldObserveEachRequestToARealTokenEndpoint() {
        try (LoopbackTokenServer server = LoopbackTokenServer.start()) {
            TokenEndpoint endpoint = TokenEndpoint.builder(server.tokenEndpoint())
                    .clientAuthentication(ClientAuthentication.clientSecretBasic(
                            LoopbackTokenServer.DEFAULT_CLIENT_ID,
                            Secret.of(LoopbackTokenServer.DEFAULT_CLIENT_SECRET)))
                    .transport(JdkTokenEndpointTransport.create())
                    .build();
            TokenGrant refresh = RefreshTokenGrant.builder(endpoint)
                    .initialRefreshToken(Secret.of(server.issueFamily().refreshToken()))
                    .build();
            TokenRefreshPolicy policy = policy(ObservedTokenGrant.builder(refresh, observations)
                    .tokenEndpoint(server.tokenEndpoint())
                    .build());

            policy.refreshAfterRejection(policy.acquireToken());
            server.enqueue(ScriptedResponse.error(400, "invalid_grant"));
            assertThatThrownBy(() -> policy.refreshAfterRejection(policy.acquireToken()))
                    .isInstanceOf(ReauthenticationRequiredException.class);

            assertThat(server.requestCount()).isEqualTo(3);
            TestObservationRegistryAssert.assertThat(observations)
                    .hasNumberOfObservationsWithNameEqualTo(DefaultTokenRefreshObservationConvention.NAME, 3)
                    .forAllObservationsWithNameEqualTo(DefaultTokenRefreshObservationConvention.NAME,
                            context -> context.hasHighCardinalityKeyValue("token.endpoint",
                                    server.tokenEndpoint().toString()))
                    .hasAnObservation(context -> context.hasLowCardinalityKeyValue("trigger", "initial")
                            .hasLowCardinalityKeyValue("outcome", "success"))
                    .hasAnObservation(context -> context.hasLowCardinalityKeyValue("trigger", "reactive")
                            .hasLowCardinalityKeyValue("outcome", "success"))
                    .hasAnObservation(context -> context.hasLowCardinalityKeyValue("trigger", "reactive")
                            .hasLowCardinalityKeyValue("outcome", "rejected"));
        }
    }

    /** A global convention, as an application would register one for all its token grants. */
    private static final class GlobalGrantConvention
            implements GlobalObservationConvention<TokenRefreshObservationContext> {

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof TokenRefreshObservationContext;
        }

        @Override
        public String getName() {
            return "global.token.grant";
        }

        @Override
        public KeyValues getLowCardinalityKeyValues(TokenRefreshObservationContext context) {
            return KeyValues.of("policy", context.getPolicyName());
        }
    }

    /** The outcomes of the policy's refresh events, which feed the refresh timer, to compare with the observation's. */
    private static final class RefreshEventOutcomes {

        private final List<String> outcomes = new CopyOnWriteArrayList<>();

        static RefreshEventOutcomes bind(TokenRefreshPolicy policy) {
            RefreshEventOutcomes recorder = new RefreshEventOutcomes();
            policy.getEventPublisher().subscribe(RefreshEvent.class,
                    event -> recorder.outcomes.add(event.getOutcome().tagValue()));
            return recorder;
        }

        List<String> outcomes() {
            return outcomes;
        }
    }
}
