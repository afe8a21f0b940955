/**
 * How the Apache adapter works inside: the exchanges the policy runs for classic and async requests, the token
 * header, the origin check, and the pieces the token endpoint transports share. Not an API: anything here may change
 * in any release.
 */
package io.github.tokenrefresh.apache.internal;
