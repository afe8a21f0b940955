package io.github.tokenrefresh.micrometer;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.AuthorizedCall;

import java.util.Set;
import java.util.function.Predicate;

/**
 * A request to a resource server that answers 401 to the tokens it rejects and 200 to any other.
 */
final class RejectingCall implements AuthorizedCall<Integer, RuntimeException> {

    private final Predicate<String> rejects;
    private final boolean replayable;

    private RejectingCall(boolean replayable, Predicate<String> rejects) {
        this.replayable = replayable;
        this.rejects = rejects;
    }

    static RejectingCall rejecting(String... tokens) {
        return new RejectingCall(true, Set.of(tokens)::contains);
    }

    static RejectingCall notReplayableRejecting(String... tokens) {
        return new RejectingCall(false, Set.of(tokens)::contains);
    }

    static RejectingCall rejectingEveryToken() {
        return new RejectingCall(true, token -> true);
    }

    @Override
    public Integer send(AccessToken token, int replay) {
        return rejects.test(token.value().reveal()) ? 401 : 200;
    }

    @Override
    public boolean isTokenRejected(Integer status) {
        return status == 401;
    }

    @Override
    public boolean isReplayable() {
        return replayable;
    }
}
