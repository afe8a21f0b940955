/**
 * How the JDK adapter works inside: the exchanges the policy runs, the redirect rules, the bounded body reader and
 * the bridge to Java 21's client lifecycle. Not an API: anything here may change in any release.
 */
package io.github.tokenrefresh.jdk.internal;
