/**
 * The runnable demo: {@link io.github.tokenrefresh.examples.demo.Demo} starts an OAuth2 token server and a resource
 * server on loopback ({@link io.github.tokenrefresh.examples.demo.LoopbackDemo}), or talks to a real provider
 * ({@link io.github.tokenrefresh.examples.demo.ProviderDemo}), runs concurrent callers through the JDK and Apache
 * adapters sharing one token policy inside a Resilience4j Retry and CircuitBreaker, and prints a summary read from
 * Micrometer ({@link io.github.tokenrefresh.examples.demo.DemoSummary}). Run it with
 * {@code mvn -B -q -Pdemo -pl examples -am verify -DskipTests}; the README's "Demo" section explains the output.
 */
package io.github.tokenrefresh.examples.demo;
