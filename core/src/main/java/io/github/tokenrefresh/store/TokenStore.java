package io.github.tokenrefresh.store;

import io.github.tokenrefresh.TokenSet;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a policy keeps its {@link TokenSet}, so a rotated refresh token survives the process and can be shared by
 * several instances of an application.
 *
 * <p>Writes are versioned compare-and-set operations: a set is replaced only if the stored version is the one the
 * writer started from, so of two writers racing with the same refresh token exactly one wins and the other adopts
 * the winner's tokens. An empty slot has version 0. A policy stores a rotated refresh token before it hands the
 * new access token to any caller.
 *
 * <p>A store shared by processes may also grant a {@link RefreshLease}, so only one process of a fleet refreshes
 * at a time; the others wait for its result to appear in the store. The default grants every lease at once, which
 * is right for a store used by one process.
 *
 * <p>Implementations must be thread-safe. Calls are made only when a policy refreshes or is created, never on the
 * path of a call with a fresh token, so a store may do I/O.
 */
public interface TokenStore {

    /**
     * Loads the token set stored under {@code name}.
     *
     * @param name the policy name
     * @return the stored set, or empty if none
     */
    Optional<TokenSet> load(String name);

    /**
     * Stores {@code next} under {@code name} if the stored version is {@code expectedVersion} (0 for an empty slot).
     *
     * @param name the policy name
     * @param expectedVersion the version the writer started from
     * @param next the replacement, whose version must be greater than {@code expectedVersion}
     * @return true if stored, false if another writer got there first
     * @throws IllegalArgumentException if {@code next} is not newer than {@code expectedVersion}
     */
    boolean compareAndSet(String name, long expectedVersion, TokenSet next);

    /**
     * Tries to take the right to refresh {@code name} for at most {@code timeToLive}.
     *
     * @param name the policy name
     * @param timeToLive how long the lease holds unless released
     * @return the lease, or empty if another holder has it
     */
    default Optional<RefreshLease> tryAcquireLease(String name, Duration timeToLive) {
        return Optional.of(RefreshLease.UNSHARED);
    }
}
