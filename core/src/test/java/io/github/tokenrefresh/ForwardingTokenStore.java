package io.github.tokenrefresh;

import io.github.tokenrefresh.store.RefreshLease;
import io.github.tokenrefresh.store.TokenStore;

import java.time.Duration;
import java.util.Optional;

/**
 * A {@link TokenStore} that passes every call to another one; a test overrides the one method it needs to watch or
 * to break.
 */
class ForwardingTokenStore implements TokenStore {

    private final TokenStore delegate;

    ForwardingTokenStore(TokenStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<TokenSet> load(String name) {
        return delegate.load(name);
    }

    @Override
    public boolean compareAndSet(String name, long expectedVersion, TokenSet next) {
        return delegate.compareAndSet(name, expectedVersion, next);
    }

    @Override
    public Optional<RefreshLease> tryAcquireLease(String name, Duration timeToLive) {
        return delegate.tryAcquireLease(name, timeToLive);
    }
}
