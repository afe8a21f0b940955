/**
 * Compiled and tested examples of composing a token refresh policy with Resilience4j and Failsafe: the code the
 * "Composing with Resilience4j and Failsafe" section of the README quotes. Each class is one recipe; the module's
 * tests run every recipe against loopback authorization and resource servers.
 */
package io.github.tokenrefresh.examples;
