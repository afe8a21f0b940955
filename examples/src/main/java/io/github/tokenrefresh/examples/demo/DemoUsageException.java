package io.github.tokenrefresh.examples.demo;

/**
 * The demo's command line or environment cannot be used: an unknown option, a bad value, a missing environment
 * variable. The message names the option or variable and says what to do; it never holds a secret.
 */
public final class DemoUsageException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong and how to fix it
     */
    public DemoUsageException(String message) {
        super(message);
    }
}
