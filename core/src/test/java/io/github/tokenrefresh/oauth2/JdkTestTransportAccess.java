package io.github.tokenrefresh.oauth2;

/**
 * Lets tests in other packages use the package-private {@link JdkTestTransport}.
 */
public final class JdkTestTransportAccess {

    public TokenEndpointTransport transport() {
        return new JdkTestTransport();
    }
}
