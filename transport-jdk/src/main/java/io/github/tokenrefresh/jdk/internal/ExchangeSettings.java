package io.github.tokenrefresh.jdk.internal;

import io.github.tokenrefresh.TokenRefreshConfig;

import java.net.http.HttpClient;
import java.net.http.HttpClient.Redirect;

/**
 * What every exchange of one decorator shares: the delegate that sends each hop, the policy's configuration (which
 * origins get the token, how many replays), and the decorator's redirect policy. Immutable and thread-safe.
 */
public final class ExchangeSettings {

    private final HttpClient delegate;
    private final TokenRefreshConfig config;
    private final Redirect redirect;
    private final int maxRedirects;

    /**
     * Creates the settings.
     *
     * @param delegate the client that sends each hop; it follows no redirect itself
     * @param config the policy's configuration
     * @param redirect the decorator's redirect policy
     * @param maxRedirects how many redirects one exchange follows at most
     */
    public ExchangeSettings(HttpClient delegate, TokenRefreshConfig config, Redirect redirect, int maxRedirects) {
        this.delegate = delegate;
        this.config = config;
        this.redirect = redirect;
        this.maxRedirects = maxRedirects;
    }

    HttpClient delegate() {
        return delegate;
    }

    TokenRefreshConfig config() {
        return config;
    }

    Redirect redirect() {
        return redirect;
    }

    /** Whether the hop after {@code redirects} followed redirects may follow one more. */
    boolean mayFollow(int redirects) {
        return redirect != Redirect.NEVER && redirects < maxRedirects;
    }
}
