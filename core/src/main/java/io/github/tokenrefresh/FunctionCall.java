package io.github.tokenrefresh;

/**
 * Adapts a function of the token to {@link AuthorizedCall}: rejection is signalled by the function throwing
 * {@link TokenRejectedException}, and a function can always be called again.
 */
final class FunctionCall<R, X extends Exception> implements AuthorizedCall<R, X> {

    @FunctionalInterface
    interface Body<R, X extends Exception> {
        R apply(AccessToken token) throws X;
    }

    private final Body<? extends R, ? extends X> body;

    FunctionCall(Body<? extends R, ? extends X> body) {
        this.body = body;
    }

    @Override
    public R send(AccessToken token, int replay) throws X {
        return body.apply(token);
    }
}
