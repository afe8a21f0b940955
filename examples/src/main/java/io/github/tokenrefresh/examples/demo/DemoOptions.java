package io.github.tokenrefresh.examples.demo;

import io.github.tokenrefresh.Origin;
import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.oauth2.ClientAuthentication;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the demo was asked to do, read from its command line and environment by {@link #parse(List, Map)}.
 *
 * <p>Without a resource URL the demo runs in {@linkplain Mode#LOOPBACK loopback} mode: it starts its own token and
 * resource servers and can inject incidents. With one it runs in {@linkplain Mode#PROVIDER provider} mode against a
 * real authorization server, whose token endpoint, client and refresh token come from the {@code TOKENREFRESH_*}
 * environment variables; it then starts no server and only reports what happened.
 *
 * <p>Immutable and thread-safe.
 */
public final class DemoOptions {

    /** Run length: long enough for several expiries, a revocation and an outage, short enough to watch. */
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(20);

    /** Callers: two per client kind, which keeps two cores busy without starving the servers in the same JVM. */
    public static final int DEFAULT_THREADS = 6;

    /** Access token lifetime in loopback mode: a few seconds, so a short run sees several proactive refreshes. */
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(5);

    /** Calls per second against a real provider: five is gentle on an API that is not yours to load-test. */
    public static final int DEFAULT_PROVIDER_RATE = 5;

    /** The environment variable holding the real provider's token endpoint URL. */
    public static final String ENV_TOKEN_ENDPOINT = "TOKENREFRESH_TOKEN_ENDPOINT";

    /** The environment variable holding the OAuth2 client id. */
    public static final String ENV_CLIENT_ID = "TOKENREFRESH_CLIENT_ID";

    /** The environment variable holding the client secret; absent for a public client. */
    public static final String ENV_CLIENT_SECRET = "TOKENREFRESH_CLIENT_SECRET";

    /** The environment variable choosing {@code basic} (the default) or {@code post} client authentication. */
    public static final String ENV_CLIENT_AUTH = "TOKENREFRESH_CLIENT_AUTH";

    /** The environment variable holding the refresh token to start from, as a login produced it. */
    public static final String ENV_REFRESH_TOKEN = "TOKENREFRESH_REFRESH_TOKEN";

    private static final int MAX_SECONDS = 3600;
    private static final int MAX_THREADS = 256;
    private static final int MAX_RATE = 100_000;

    /** Which servers the demo talks to. */
    public enum Mode {
        /** Token and resource servers started in-process on loopback, with scripted incidents. */
        LOOPBACK,
        /** A real authorization server and API, configured through the environment. */
        PROVIDER
    }

    /** How the demo shows progress while it runs. */
    public enum Progress {
        /** One line, rewritten in place a few times a second. */
        INLINE,
        /** A new line every few seconds, for logs and CI. */
        LINES,
        /** None. */
        OFF
    }

    private final Mode mode;
    private final Duration duration;
    private final int threads;
    private final Duration tokenLifetime;
    private final boolean outage;
    private final boolean revocation;
    private final int rate;
    private final int prometheusPort;
    private final Duration serveFor;
    private final Progress progress;
    private final boolean help;
    private final Provider provider;

    private DemoOptions(Parser parser, Provider provider) {
        this.mode = provider == null ? Mode.LOOPBACK : Mode.PROVIDER;
        this.duration = parser.duration;
        this.threads = parser.threads;
        this.tokenLifetime = parser.tokenLifetime;
        this.outage = parser.outage;
        this.revocation = parser.revocation;
        this.rate = parser.rate != null ? parser.rate : provider == null ? 0 : DEFAULT_PROVIDER_RATE;
        this.prometheusPort = parser.prometheusPort;
        this.serveFor = parser.serveFor;
        this.progress = parser.progress;
        this.help = parser.help;
        this.provider = provider;
    }

    /**
     * Reads the command line and, in provider mode, the environment.
     *
     * @param args the arguments, options first or last, as {@code --name value} or {@code --name=value}
     * @param env the environment variables
     * @return the options
     * @throws DemoUsageException naming the option or variable that is wrong or missing
     */
    public static DemoOptions parse(List<String> args, Map<String, String> env) {
        Objects.requireNonNull(args, "args must not be null");
        Objects.requireNonNull(env, "env must not be null");
        Parser parser = new Parser(env);
        parser.read(args);
        if (parser.help) {
            return new DemoOptions(parser, null);
        }
        if (parser.serveFor != null && parser.prometheusPort < 0) {
            throw new DemoUsageException("--serve-for keeps the Prometheus endpoint up after the run; it needs "
                    + "--prometheus PORT as well");
        }
        if (parser.resource == null) {
            return new DemoOptions(parser, null);
        }

        if (!parser.loopbackOnly.isEmpty()) {
            throw new DemoUsageException(parser.loopbackOnly.get(0) + " applies to the loopback demo only; "
                    + "against a real provider (a resource URL was given) the demo starts no server and injects "
                    + "nothing");
        }
        return new DemoOptions(parser, Provider.from(parser.resource, env));
    }

    /**
     * Returns the help text: every option, its default, and the environment of provider mode.
     *
     * @return the usage text
     */
    public static String usage() {
        return String.join(System.lineSeparator(),
                "Usage: demo [options] [RESOURCE_URL]",
                "",
                "Without RESOURCE_URL: starts an OAuth2 token server (short-lived access tokens, rotating refresh",
                "tokens with reuse detection) and a resource server on loopback, and calls the resource server",
                "through the JDK and Apache adapters sharing one token policy, inside a Resilience4j Retry and",
                "CircuitBreaker. With RESOURCE_URL: calls that URL with tokens from a real provider (see below).",
                "",
                "Options:",
                "  --duration SECONDS        how long the callers run (default " + DEFAULT_DURATION.toSeconds() + ")",
                "  --threads N               concurrent callers, spread over the three clients (default "
                        + DEFAULT_THREADS + ")",
                "  --token-lifetime SECONDS  access token lifetime on the loopback token server (default "
                        + DEFAULT_TOKEN_LIFETIME.toSeconds() + ")",
                "  --outage on|off           a token endpoint outage (503, Retry-After) a third into the run"
                        + " (default on)",
                "  --revocation on|off       the token server revokes the current access token a fifth into the"
                        + " run (default on)",
                "  --rate N                  at most N calls per second in all, 0 for no limit (default 0; "
                        + DEFAULT_PROVIDER_RATE + " against a real provider)",
                "  --prometheus PORT         serve the meters on http://127.0.0.1:PORT/metrics (0 picks a free"
                        + " port)",
                "  --serve-for SECONDS       with --prometheus: keep serving this long after the run"
                        + " (default: until Ctrl-C)",
                "  --progress inline|lines|off  how to show progress (default inline; lines when CI is set)",
                "  --help                    this text",
                "",
                "A real provider (a RESOURCE_URL was given) is configured through the environment:",
                "  " + ENV_TOKEN_ENDPOINT + "   the token endpoint, https (http only to loopback)",
                "  " + ENV_CLIENT_ID + "        the client id",
                "  " + ENV_CLIENT_SECRET + "    the client secret; leave it unset for a public client",
                "  " + ENV_CLIENT_AUTH + "      basic (default) or post",
                "  " + ENV_REFRESH_TOKEN + "    a refresh token from a login; if the provider rotates refresh",
                "                                tokens it is used up by the run: get a new one for the next run");
    }

    /**
     * Returns the mode: loopback servers, or a real provider.
     *
     * @return the mode
     */
    public Mode mode() {
        return mode;
    }

    /**
     * Returns how long the callers run.
     *
     * @return whole seconds, at least one
     */
    public Duration duration() {
        return duration;
    }

    /**
     * Returns how many callers run at once.
     *
     * @return 1 to 256
     */
    public int threads() {
        return threads;
    }

    /**
     * Returns the access token lifetime of the loopback token server.
     *
     * @return whole seconds, at least one
     */
    public Duration tokenLifetime() {
        return tokenLifetime;
    }

    /**
     * Tells whether the loopback token endpoint goes down for a while.
     *
     * @return true to inject the outage
     */
    public boolean outage() {
        return outage;
    }

    /**
     * Tells whether the loopback token server revokes the current access token once.
     *
     * @return true to inject the revocation
     */
    public boolean revocation() {
        return revocation;
    }

    /**
     * Returns the most calls per second, in all.
     *
     * @return the limit, 0 for none
     */
    public int rate() {
        return rate;
    }

    /**
     * Returns the port of the Prometheus scrape endpoint, if one was asked for.
     *
     * @return the port, 0 for any free one; empty for no endpoint
     */
    public OptionalInt prometheusPort() {
        return prometheusPort < 0 ? OptionalInt.empty() : OptionalInt.of(prometheusPort);
    }

    /**
     * Returns how long the scrape endpoint stays up after the run.
     *
     * @return the time, or empty to serve until the process is stopped
     */
    public Optional<Duration> serveFor() {
        return Optional.ofNullable(serveFor);
    }

    /**
     * Returns how progress is shown.
     *
     * @return the progress style
     */
    public Progress progress() {
        return progress;
    }

    /**
     * Tells whether only the help text was asked for.
     *
     * @return true for {@code --help}
     */
    public boolean help() {
        return help;
    }

    /**
     * Returns the real provider's settings, in provider mode.
     *
     * @return the settings, or empty in loopback mode
     */
    public Optional<Provider> provider() {
        return Optional.ofNullable(provider);
    }

    @Override
    public String toString() {
        return "DemoOptions[mode=" + mode + ", duration=" + duration + ", threads=" + threads + ", tokenLifetime="
                + tokenLifetime + ", outage=" + outage + ", revocation=" + revocation + ", rate=" + rate
                + ", prometheusPort=" + prometheusPort + ", serveFor=" + serveFor + ", progress=" + progress
                + ", provider=" + provider + ']';
    }

    /**
     * A real authorization server and the API to call, from the environment. {@link #toString()} shows no secret.
     * Immutable and thread-safe.
     */
    public static final class Provider {

        private final URI tokenEndpoint;
        private final ClientAuthentication clientAuthentication;
        private final Secret refreshToken;
        private final URI resource;

        private Provider(URI tokenEndpoint, ClientAuthentication clientAuthentication, Secret refreshToken,
                URI resource) {
            this.tokenEndpoint = tokenEndpoint;
            this.clientAuthentication = clientAuthentication;
            this.refreshToken = refreshToken;
            this.resource = resource;
        }

        private static Provider from(String resourceArgument, Map<String, String> env) {
            URI resource = httpUrl("the resource URL", resourceArgument);

            List<String> missing = new ArrayList<>();
            for (String name : List.of(ENV_TOKEN_ENDPOINT, ENV_CLIENT_ID, ENV_REFRESH_TOKEN)) {
                if (value(env, name) == null) {
                    missing.add(name);
                }
            }
            if (!missing.isEmpty()) {
                throw new DemoUsageException(String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are")
                        + " not set: a resource URL was given, so the demo calls a real provider and reads its "
                        + "token endpoint, client id and refresh token from " + ENV_TOKEN_ENDPOINT + ", "
                        + ENV_CLIENT_ID + " and " + ENV_REFRESH_TOKEN + " (and " + ENV_CLIENT_SECRET
                        + " for a confidential client); export them, or leave out the URL for the loopback demo");
            }

            URI tokenEndpoint = httpUrl(ENV_TOKEN_ENDPOINT, value(env, ENV_TOKEN_ENDPOINT));
            String clientId = value(env, ENV_CLIENT_ID);
            String secret = value(env, ENV_CLIENT_SECRET);
            String method = Optional.ofNullable(value(env, ENV_CLIENT_AUTH)).orElse("basic")
                    .toLowerCase(Locale.ROOT);
            ClientAuthentication authentication;
            if (!method.equals("basic") && !method.equals("post")) {
                throw new DemoUsageException(ENV_CLIENT_AUTH + " must be basic or post, was '" + method + "'");
            } else if (secret == null) {
                authentication = ClientAuthentication.none(clientId);
            } else if (method.equals("post")) {
                authentication = ClientAuthentication.clientSecretPost(clientId, Secret.of(secret));
            } else {
                authentication = ClientAuthentication.clientSecretBasic(clientId, Secret.of(secret));
            }
            return new Provider(tokenEndpoint, authentication, Secret.of(value(env, ENV_REFRESH_TOKEN)), resource);
        }

        private static String value(Map<String, String> env, String name) {
            String value = env.get(name);
            return value == null || value.isBlank() ? null : value.trim();
        }

        private static URI httpUrl(String what, String text) {
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                throw new DemoUsageException(what + " '" + text + "' is not a URL: " + e.getReason());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                throw new DemoUsageException(what + " '" + text
                        + "' must be an absolute https URL (or http to a loopback host)");
            }
            if (!Origin.of(uri).isSecureOrLoopback()) {
                throw new DemoUsageException(what + " '" + text + "' uses plain http; tokens travel only over "
                        + "https, or http to a loopback host");
            }
            return uri;
        }

        /**
         * Returns the token endpoint.
         *
         * @return https, or http to a loopback host
         */
        public URI tokenEndpoint() {
            return tokenEndpoint;
        }

        /**
         * Returns how the client authenticates: {@code client_secret_basic}, {@code client_secret_post}, or none for
         * a public client.
         *
         * @return the client authentication
         */
        public ClientAuthentication clientAuthentication() {
            return clientAuthentication;
        }

        /**
         * Returns the refresh token to start from.
         *
         * @return the refresh token
         */
        public Secret refreshToken() {
            return refreshToken;
        }

        /**
         * Returns the URL every call requests with {@code GET}.
         *
         * @return https, or http to a loopback host
         */
        public URI resource() {
            return resource;
        }

        @Override
        public String toString() {
            return "Provider[tokenEndpoint=" + tokenEndpoint + ", client=" + clientAuthentication + ", resource="
                    + resource + ']';
        }
    }

    /** Reads the arguments one by one; each option checks its value at once. */
    private static final class Parser {

        private Duration duration = DEFAULT_DURATION;
        private int threads = DEFAULT_THREADS;
        private Duration tokenLifetime = DEFAULT_TOKEN_LIFETIME;
        private boolean outage = true;
        private boolean revocation = true;
        private Integer rate;
        private int prometheusPort = -1;
        private Duration serveFor;
        private Progress progress;
        private boolean help;
        private String resource;
        private final List<String> loopbackOnly = new ArrayList<>();

        Parser(Map<String, String> env) {
            String ci = env.get("CI");
            this.progress = ci == null || ci.isBlank() || ci.equalsIgnoreCase("false") ? Progress.INLINE
                    : Progress.LINES;
        }

        void read(List<String> args) {
            for (int i = 0; i < args.size(); i++) {
                String arg = Objects.requireNonNull(args.get(i), "an argument is null");
                if (arg.equals("--help") || arg.equals("-h")) {
                    help = true;
                    continue;
                }
                if (!arg.startsWith("-")) {
                    if (resource != null) {
                        throw new DemoUsageException("only one resource URL may be given, got '" + resource
                                + "' and '" + arg + "'");
                    }
                    resource = arg;
                    continue;
                }

                String name = arg;
                String value;
                int equals = arg.indexOf('=');
                if (equals > 0) {
                    name = arg.substring(0, equals);
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new DemoUsageException(arg + " needs a value; run with --help for the options");
                }
                apply(name, value);
            }
        }

        private void apply(String name, String value) {
            switch (name) {
                case "--duration":
                    duration = Duration.ofSeconds(number(name, value, 1, MAX_SECONDS));
                    break;
                case "--threads":
                    threads = number(name, value, 1, MAX_THREADS);
                    break;
                case "--token-lifetime":
                    tokenLifetime = Duration.ofSeconds(number(name, value, 1, MAX_SECONDS));
                    loopbackOnly.add(name);
                    break;
                case "--outage":
                    outage = onOff(name, value);
                    loopbackOnly.add(name);
                    break;
                case "--revocation":
                    revocation = onOff(name, value);
                    loopbackOnly.add(name);
                    break;
                case "--rate":
                    rate = number(name, value, 0, MAX_RATE);
                    break;
                case "--prometheus":
                    prometheusPort = number(name, value, 0, 65_535);
                    break;
                case "--serve-for":
                    serveFor = Duration.ofSeconds(number(name, value, 0, 24 * MAX_SECONDS));
                    break;
                case "--progress":
                    progress = progress(name, value);
                    break;
                default:
                    throw new DemoUsageException("unknown option '" + name + "'; run with --help for the options");
            }
        }

        private static int number(String option, String value, int min, int max) {
            int number;
            try {
                number = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                number = Integer.MIN_VALUE;
            }
            if (number < min || number > max) {
                throw new DemoUsageException(option + " must be a whole number from " + min + " to " + max
                        + ", was '" + value + "'");
            }
            return number;
        }

        private static boolean onOff(String option, String value) {
            switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "on":
                case "true":
                    return true;
                case "off":
                case "false":
                    return false;
                default:
                    throw new DemoUsageException(option + " must be on or off, was '" + value + "'");
            }
        }

        private static Progress progress(String option, String value) {
            for (Progress candidate : Progress.values()) {
                if (candidate.name().equalsIgnoreCase(value.trim())) {
                    return candidate;
                }
            }
            throw new DemoUsageException(option + " must be inline, lines or off, was '" + value + "'");
        }
    }
}
