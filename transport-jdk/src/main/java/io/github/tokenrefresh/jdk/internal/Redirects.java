package io.github.tokenrefresh.jdk.internal;

import io.github.tokenrefresh.Origin;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient.Redirect;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * The decorator's redirect rules. They follow the JDK client's own (which statuses are followed, how the method
 * changes, when the body is kept, what {@link Redirect#NORMAL} allows), so that moving redirects out of the delegate
 * changes nothing but where credentials go: a hop to another origin drops {@code Authorization}, {@code Cookie},
 * {@code Origin} and {@code Referer}, as newer JDKs do and Java 17's does not.
 *
 * <p>Stateless and thread-safe.
 */
public final class Redirects {

    /** Request headers that carry credentials or say where a request came from; never sent across origins. */
    private static final Set<String> CROSS_ORIGIN_DROPPED = caseInsensitive("Authorization", "Cookie", "Origin",
            "Referer");

    private static final BiPredicate<String, String> ALL_HEADERS = (name, value) -> true;

    private static final BiPredicate<String, String> CROSS_ORIGIN_HEADERS =
            (name, value) -> !CROSS_ORIGIN_DROPPED.contains(name);

    private Redirects() {
    }

    /**
     * Returns where an answer redirects to, if the policy follows it.
     *
     * @param policy the decorator's redirect policy
     * @param current the URI the answer came from
     * @param status the answer's status
     * @param headers the answer's headers
     * @return the absolute http(s) target, or null when the answer is not a redirect the policy follows (also when
     *         its {@code Location} is missing or malformed: the caller then gets the redirect answer itself)
     */
    public static URI target(Redirect policy, URI current, int status, HttpHeaders headers) {
        if (policy == Redirect.NEVER || !isFollowedStatus(status)) {
            return null;
        }
        Optional<String> location = headers.firstValue("Location");
        if (location.isEmpty()) {
            return null;
        }
        URI target;
        try {
            target = current.resolve(new URI(location.get().trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || target.getHost() == null) {
            return null;
        }
        if (policy == Redirect.NORMAL && !scheme.equals("https") && !scheme.equalsIgnoreCase(current.getScheme())) {
            // NORMAL never downgrades https to http.
            return null;
        }
        return target;
    }

    /**
     * Builds the request for the next hop, from the previous hop's request as the caller would see it (without the
     * policy's token): the new URI, the method the status calls for, the body only when the method stays and the
     * status is not 303, and the headers less the credentials when the origin changes.
     *
     * @param previous the previous hop's request
     * @param status the redirect status
     * @param target the redirect target, from {@link #target}
     * @return the next hop's request
     */
    public static HttpRequest next(HttpRequest previous, int status, URI target) {
        String method = redirectedMethod(status, previous.method());
        boolean keepBody = status != 303 && method.equals(previous.method());
        BiPredicate<String, String> headers = sameOrigin(previous.uri(), target) ? ALL_HEADERS : CROSS_ORIGIN_HEADERS;

        HttpRequest.Builder next = HttpRequest.newBuilder(previous, headers).uri(target);
        if (!keepBody) {
            // Only GET is ever redirected to without a body.
            next.GET();
        }
        return next.build();
    }

    /**
     * Tells whether two URIs share scheme, host and port.
     *
     * @param a an absolute http(s) URI
     * @param b another
     * @return true for the same origin
     */
    public static boolean sameOrigin(URI a, URI b) {
        return Origin.of(a).equals(Origin.of(b));
    }

    private static boolean isFollowedStatus(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static String redirectedMethod(int status, String method) {
        if (status == 303 || ((status == 301 || status == 302) && method.equals("POST"))) {
            return "GET";
        }
        return method;
    }

    private static Set<String> caseInsensitive(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(Set.of(names));
        return set;
    }
}
