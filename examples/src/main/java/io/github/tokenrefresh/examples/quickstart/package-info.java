/**
 * The README's quick starts, as compiled and tested code: one class per way of using the library.
 */
package io.github.tokenrefresh.examples.quickstart;
