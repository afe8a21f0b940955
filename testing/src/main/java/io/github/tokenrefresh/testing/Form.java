package io.github.tokenrefresh.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An {@code application/x-www-form-urlencoded} body, fields kept in the order sent. */
final class Form {

    private final List<Map.Entry<String, String>> fields;

    private Form(List<Map.Entry<String, String>> fields) {
        this.fields = fields;
    }

    static Form empty() {
        return new Form(List.of());
    }

    /**
     * Decodes a form body.
     *
     * @throws IllegalArgumentException if a percent escape is malformed
     */
    static Form parse(String body) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            fields.add(Map.entry(decode(name), decode(value)));
        }
        return new Form(List.copyOf(fields));
    }

    static String decode(String encoded) {
        return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    }

    List<String> names() {
        List<String> names = new ArrayList<>(fields.size());
        for (Map.Entry<String, String> field : fields) {
            names.add(field.getKey());
        }
        return List.copyOf(names);
    }

    /** The first value of {@code name}, or null if the field is absent. */
    String get(String name) {
        for (Map.Entry<String, String> field : fields) {
            if (field.getKey().equals(name)) {
                return field.getValue();
            }
        }
        return null;
    }

    boolean has(String name) {
        return get(name) != null;
    }

    /** A field name sent more than once, which RFC 6749 §3.2 forbids, or null if there is none. */
    String repeatedName() {
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, String> field : fields) {
            if (!seen.add(field.getKey())) {
                return field.getKey();
            }
        }
        return null;
    }
}
