/**
 * A Failsafe {@link dev.failsafe.Policy} that runs executions with the token of a
 * {@link io.github.tokenrefresh.TokenRefreshPolicy}, refreshing and replaying inside a Failsafe chain: see
 * {@link io.github.tokenrefresh.failsafe.TokenPolicy}.
 *
 * <p>Failsafe is an optional dependency of tokenrefresh-core; this package needs {@code dev.failsafe:failsafe}
 * 3.3.2 on the class path, the version whose policy SPI it was written and tested against. Nothing outside this
 * package loads Failsafe classes.
 */
package io.github.tokenrefresh.failsafe;
