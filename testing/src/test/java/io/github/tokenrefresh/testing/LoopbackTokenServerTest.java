package io.github.tokenrefresh.testing;

import static io.github.tokenrefresh.testing.TestHttp.basic;
import static io.github.tokenrefresh.testing.TestHttp.form;
import static io.github.tokenrefresh.testing.TestHttp.jsonNumber;
import static io.github.tokenrefresh.testing.TestHttp.jsonString;
import static io.github.tokenrefresh.testing.TestHttp.refresh;
import static io.github.tokenrefresh.testing.TestHttp.send;
import static io.github.tokenrefresh.testing.TestHttp.tokenRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoopbackTokenServerTest {

    private static final int THREADS = 64;

    private final ManualClock clock = new ManualClock();
    private LoopbackTokenServer server = LoopbackTokenServer.builder().clock(clock).start();

    @AfterEach
    void closeServer() {
        server.close();
    }

    @Test
    void shouldRotateTheRefreshTokenOnEveryRefresh() throws Exception {
        TokenFamily family = server.issueFamily();

        HttpResponse<String> first = refresh(server, family.refreshToken());
        String rotated = jsonString(first.body(), "refresh_token");
        HttpResponse<String> second = refresh(server, rotated);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(jsonString(first.body(), "token_type")).isEqualTo("Bearer");
        assertThat(jsonNumber(first.body(), "expires_in")).isEqualTo(3600L);
        assertThat(rotated).isNotNull().isNotEqualTo(family.refreshToken());
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(server.isValid(jsonString(second.body(), "access_token"))).isTrue();
        assertThat(server.tokenRequests()).extracting(TokenRequest::refreshTokenGeneration).containsExactly(0, 1);
        assertThat(server.issuedCount()).isEqualTo(2);
    }

    @Test
    void shouldRevokeTheWholeFamilyWhenARotatedRefreshTokenComesBack() throws Exception {
        TokenFamily family = server.issueFamily();
        HttpResponse<String> first = refresh(server, family.refreshToken());
        String newAccessToken = jsonString(first.body(), "access_token");
        String newRefreshToken = jsonString(first.body(), "refresh_token");

        HttpResponse<String> reuse = refresh(server, family.refreshToken());
        HttpResponse<String> afterRevocation = refresh(server, newRefreshToken);

        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat(jsonString(reuse.body(), "error")).isEqualTo("invalid_grant");
        assertThat(jsonString(reuse.body(), "error_description")).isEqualTo("refresh token reuse detected");
        assertThat(server.reuseDetections()).isEqualTo(1);
        assertThat(server.isFamilyRevoked(family.familyId())).isTrue();
        assertThat(server.isValid(family.accessToken())).isFalse();
        assertThat(server.isValid(newAccessToken)).isFalse();
        assertThat(afterRevocation.statusCode()).isEqualTo(400);
        assertThat(jsonString(afterRevocation.body(), "error_description")).isEqualTo("refresh token revoked");
    }

    @Test
    void shouldKeepTheRefreshTokenWhenRotationIsOff() throws Exception {
        server.setRotateRefreshTokens(false);
        TokenFamily family = server.issueFamily();

        HttpResponse<String> first = refresh(server, family.refreshToken());
        HttpResponse<String> second = refresh(server, family.refreshToken());

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).doesNotContain("refresh_token");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(server.reuseDetections()).isZero();
    }

    @Test
    void shouldRejectAnUnknownRefreshToken() throws Exception {
        HttpResponse<String> response = refresh(server, "not-a-token");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(jsonString(response.body(), "error")).isEqualTo("invalid_grant");
        assertThat(server.tokenRequests().get(0).familyId()).isNull();
    }

    @Test
    void shouldAuthenticateWithBasicUsingFormEncodedCredentials() throws Exception {
        server.close();
        server = LoopbackTokenServer.builder().clock(clock).client("app id+1", "s3cr:t/%&").start();
        TokenFamily family = server.issueFamily();

        HttpResponse<String> response = send(tokenRequest(server.tokenEndpoint(), basic("app id+1", "s3cr:t/%&"),
                form("grant_type", "refresh_token", "refresh_token", family.refreshToken())));

        assertThat(response.statusCode()).isEqualTo(200);
        TokenRequest recorded = server.tokenRequests().get(0);
        assertThat(recorded.clientAuthMethod()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);
        assertThat(recorded.clientId()).isEqualTo("app id+1");
        assertThat(recorded.header("Authorization")).isEqualTo(TokenRequest.REDACTED);
        assertThat(recorded.toString()).doesNotContain("s3cr").doesNotContain(family.refreshToken());
    }

    @Test
    void shouldAuthenticateWithSecretInTheForm() throws Exception {
        TokenFamily family = server.issueFamily();

        HttpResponse<String> response = send(tokenRequest(server.tokenEndpoint(), null, form(
                "grant_type", "refresh_token", "refresh_token", family.refreshToken(),
                "client_id", LoopbackTokenServer.DEFAULT_CLIENT_ID,
                "client_secret", LoopbackTokenServer.DEFAULT_CLIENT_SECRET)));

        assertThat(response.statusCode()).isEqualTo(200);
        TokenRequest recorded = server.tokenRequests().get(0);
        assertThat(recorded.clientAuthMethod()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_POST);
        assertThat(recorded.formFieldNames())
                .containsExactly("grant_type", "refresh_token", "client_id", "client_secret");
        assertThat(recorded.toString()).doesNotContain(LoopbackTokenServer.DEFAULT_CLIENT_SECRET);
    }

    @Test
    void shouldAnswerAWrongSecretWithInvalidClientAndABasicChallenge() throws Exception {
        HttpResponse<String> response = send(tokenRequest(server.tokenEndpoint(),
                basic(LoopbackTokenServer.DEFAULT_CLIENT_ID, "wrong"), form("grant_type", "client_credentials")));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(jsonString(response.body(), "error")).isEqualTo("invalid_client");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"token\"");
        assertThat(server.issuedCount()).isZero();
    }

    @Test
    void shouldRefuseTwoClientAuthenticationMethodsInOneRequest() throws Exception {
        HttpResponse<String> response = send(tokenRequest(server.tokenEndpoint(),
                basic(LoopbackTokenServer.DEFAULT_CLIENT_ID, LoopbackTokenServer.DEFAULT_CLIENT_SECRET),
                form("grant_type", "client_credentials",
                        "client_secret", LoopbackTokenServer.DEFAULT_CLIENT_SECRET)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(jsonString(response.body(), "error")).isEqualTo("invalid_request");
    }

    @Test
    void shouldLetAPublicClientRefreshWithItsIdAlone() throws Exception {
        server.close();
        server = LoopbackTokenServer.builder().clock(clock).publicClient("spa").start();
        TokenFamily family = server.issueFamily("spa", "read write");

        HttpResponse<String> refreshed = send(tokenRequest(server.tokenEndpoint(), null, form(
                "grant_type", "refresh_token", "refresh_token", family.refreshToken(), "client_id", "spa",
                "scope", "read")));
        HttpResponse<String> clientCredentials = send(tokenRequest(server.tokenEndpoint(), null,
                form("grant_type", "client_credentials", "client_id", "spa")));

        assertThat(refreshed.statusCode()).isEqualTo(200);
        assertThat(jsonString(refreshed.body(), "scope")).isEqualTo("read");
        assertThat(server.tokenRequests().get(0).clientAuthMethod()).isEqualTo(ClientAuthMethod.NONE);
        assertThat(clientCredentials.statusCode()).isEqualTo(400);
        assertThat(jsonString(clientCredentials.body(), "error")).isEqualTo("unauthorized_client");
    }

    @Test
    void shouldRefuseAScopeWiderThanTheFamilyWasGranted() throws Exception {
        TokenFamily family = server.issueFamily(LoopbackTokenServer.DEFAULT_CLIENT_ID, "read");

        HttpResponse<String> response = send(tokenRequest(server.tokenEndpoint(),
                basic(LoopbackTokenServer.DEFAULT_CLIENT_ID, LoopbackTokenServer.DEFAULT_CLIENT_SECRET),
                form("grant_type", "refresh_token", "refresh_token", family.refreshToken(), "scope", "read admin")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(jsonString(response.body(), "error")).isEqualTo("invalid_scope");
    }

    @Test
    void shouldIssueClientCredentialsTokensWithoutARefreshToken() throws Exception {
        HttpResponse<String> response = send(tokenRequest(server.tokenEndpoint(),
                basic(LoopbackTokenServer.DEFAULT_CLIENT_ID, LoopbackTokenServer.DEFAULT_CLIENT_SECRET),
                form("grant_type", "client_credentials", "scope", "orders")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("refresh_token");
        assertThat(jsonString(response.body(), "scope")).isEqualTo("orders");
        assertThat(server.requestCount("client_credentials")).isEqualTo(1);
        assertThat(server.requestCount("refresh_token")).isZero();
    }

    @Test
    void shouldRejectUnsupportedGrantsAndMethods() throws Exception {
        HttpResponse<String> password = send(tokenRequest(server.tokenEndpoint(),
                basic(LoopbackTokenServer.DEFAULT_CLIENT_ID, LoopbackTokenServer.DEFAULT_CLIENT_SECRET),
                form("grant_type", "password")));
        HttpResponse<String> get = send(HttpRequest.newBuilder(server.tokenEndpoint()).GET().build());

        assertThat(jsonString(password.body(), "error")).isEqualTo("unsupported_grant_type");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void shouldExpireAccessTokensOnTheGivenClock() {
        server.setAccessTokenLifetime(Duration.ofSeconds(60));
        TokenFamily family = server.issueFamily();

        assertThat(family.expiresAt()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(60));
        assertThat(server.isValid(family.accessToken())).isTrue();
        clock.advance(Duration.ofSeconds(59));
        assertThat(server.isValid(family.accessToken())).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(server.isValid(family.accessToken())).isFalse();
    }

    @Test
    void shouldRevokeASingleAccessTokenAndLeaveTheFamilyUsable() throws Exception {
        TokenFamily family = server.issueFamily();

        assertThat(server.revoke(family.accessToken())).isTrue();

        assertThat(server.isValid(family.accessToken())).isFalse();
        assertThat(refresh(server, family.refreshToken()).statusCode()).isEqualTo(200);
        assertThat(server.revoke("unknown")).isFalse();
    }

    @Test
    void shouldRefuseLifetimesThatExpiresInCannotState() {
        assertThatThrownBy(() -> server.setAccessTokenLifetime(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT1.5S");
        assertThatThrownBy(() -> server.setAccessTokenLifetime(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepTokenFamilyValuesOutOfToString() {
        TokenFamily family = server.issueFamily();

        assertThat(family.toString()).doesNotContain(family.accessToken()).doesNotContain(family.refreshToken());
    }

    @Test
    void shouldCountExactlyUnderConcurrentClientCredentialsRequests() throws Exception {
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            calls.add(() -> send(tokenRequest(server.tokenEndpoint(),
                    basic(LoopbackTokenServer.DEFAULT_CLIENT_ID, LoopbackTokenServer.DEFAULT_CLIENT_SECRET),
                    form("grant_type", "client_credentials"))));
        }

        List<HttpResponse<String>> responses = runTogether(calls);

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(responses).extracting(response -> jsonString(response.body(), "access_token"))
                .doesNotHaveDuplicates();
        assertThat(server.requestCount()).isEqualTo(THREADS);
        assertThat(server.issuedCount()).isEqualTo(THREADS);
        assertThat(server.tokenRequests()).hasSize(THREADS);
    }

    @Test
    void shouldLetExactlyOneOfManyConcurrentRefreshesWithOneTokenSucceed() throws Exception {
        TokenFamily family = server.issueFamily();
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            calls.add(() -> refresh(server, family.refreshToken()));
        }

        List<HttpResponse<String>> responses = runTogether(calls);

        assertThat(responses).filteredOn(response -> response.statusCode() == 200).hasSize(1);
        assertThat(responses).filteredOn(response -> response.statusCode() == 400).hasSize(THREADS - 1);
        assertThat(server.reuseDetections()).isEqualTo(1);
        assertThat(server.issuedCount()).isEqualTo(1);
        assertThat(server.isFamilyRevoked(family.familyId())).isTrue();
    }

    private static List<HttpResponse<String>> runTogether(List<Callable<HttpResponse<String>>> calls)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (Callable<HttpResponse<String>> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();

            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                responses.add(future.get(20, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }
}
