package io.github.tokenrefresh.examples.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's command line: {@code mvn -B -q -Pdemo -pl examples -am verify -DskipTests} from the repository root,
 * with options in {@code -Ddemo.args="..."}; {@code --help} lists them.
 *
 * <p>Without a resource URL it runs {@link LoopbackDemo}: token and resource servers in this process, callers
 * through the JDK and Apache adapters sharing one token policy inside a Resilience4j Retry and CircuitBreaker, a
 * revocation and a token endpoint outage along the way, then a summary read from Micrometer. With a resource URL it
 * runs {@link ProviderDemo} against a real provider configured through the environment.
 *
 * <p>This is a command-line program, so it prints to standard output; the library's own log goes through SLF4J to
 * the file named by the system property {@value #LOG_FILE_PROPERTY}.
 *
 * <p>Exit status: 0 after a run in which calls succeeded (and, in loopback mode, no refresh token was ever presented
 * twice); 1 otherwise; 2 for a usage error.
 */
public final class Demo {

    /** The system property naming the file the library's log goes to (see {@code logback.xml}). */
    public static final String LOG_FILE_PROPERTY = "tokenrefresh.demo.log";

    /** Exit status of a usage error. */
    public static final int USAGE_ERROR = 2;

    /** Exit status of a run whose figures show a failure: no successful call, or a refresh token reused. */
    public static final int RUN_FAILED = 1;

    /**
     * The JDK's HTTP server writes a response's head and body separately, and with Nagle's algorithm on, the body
     * waits for the client's delayed ACK: every loopback call would take 40 ms. The property must be set before the
     * first server starts.
     */
    private static final String SERVER_NO_DELAY = "sun.net.httpserver.nodelay";

    private Demo() {
    }

    /**
     * Runs the demo and exits with its status.
     *
     * @param args options and an optional resource URL; {@code --help} lists them
     */
    public static void main(String[] args) {
        if (System.getProperty(SERVER_NO_DELAY) == null) {
            System.setProperty(SERVER_NO_DELAY, "true");
        }
        if (System.getProperty(LOG_FILE_PROPERTY) == null) {
            System.setProperty(LOG_FILE_PROPERTY,
                    Path.of(System.getProperty("java.io.tmpdir"), "tokenrefresh-demo.log").toString());
        }
        System.exit(run(Arrays.asList(args), System.getenv(), System.out));
    }

    /**
     * Runs the demo as {@link #main(String[])} would, without exiting.
     *
     * @param args options and an optional resource URL
     * @param env the environment, read in provider mode
     * @param out where to print
     * @return the exit status: 0, {@value #RUN_FAILED} or {@value #USAGE_ERROR}
     */
    public static int run(List<String> args, Map<String, String> env, PrintStream out) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args, env);
        } catch (DemoUsageException e) {
            out.println("demo: " + e.getMessage());
            out.println("Run with --help for the options.");
            return USAGE_ERROR;
        }
        if (options.help()) {
            out.println(DemoOptions.usage());
            return 0;
        }

        try {
            if (options.mode() == DemoOptions.Mode.LOOPBACK) {
                try (LoopbackDemo demo = new LoopbackDemo(options, out)) {
                    DemoSummary summary = demo.run();
                    summary.print(out);
                    int status = verdict(summary, out);
                    demo.serveAfterRun();
                    return status;
                }
            }
            try (ProviderDemo demo = new ProviderDemo(options, out)) {
                DemoSummary summary = demo.run();
                summary.print(out);
                int status = verdict(summary, out);
                demo.serveAfterRun();
                return status;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("demo: interrupted");
            return RUN_FAILED;
        } catch (Exception e) {
            out.println("demo: failed: " + e);
            return RUN_FAILED;
        }
    }

    private static int verdict(DemoSummary summary, PrintStream out) {
        long succeeded = summary.requestsByOutcome().getOrDefault(DemoMeters.SUCCESS, 0L);
        long reused = summary.reuseDetections().orElse(0);
        out.println();
        if (reused > 0) {
            out.println("FAILED: the token server saw a refresh token " + reused + " time(s) after it was used");
            return RUN_FAILED;
        }
        if (succeeded == 0) {
            out.println("FAILED: no call succeeded; see the events above and the library log");
            return RUN_FAILED;
        }
        long refreshes = summary.refreshCount();
        out.println(String.format(Locale.ROOT, "OK: %,d calls succeeded with %,d %s%s", succeeded, refreshes,
                refreshes == 1 ? "refresh" : "refreshes", summary.reuseDetections().isPresent()
                        ? ", and not one refresh token was presented twice" : ""));
        return 0;
    }
}
