package io.github.tokenrefresh.testing;

import java.util.Map;

/** Writes the flat JSON objects the fixture servers answer with. */
final class Json {

    private Json() {
    }

    /** Writes an object of string and number members in map order, leaving out null values. */
    static String object(Map<String, ?> members) {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, ?> member : members.entrySet()) {
            Object value = member.getValue();
            if (value == null) {
                continue;
            }
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(member.getKey())).append(':');
            json.append(value instanceof Number ? value.toString() : quote(value.toString()));
        }
        return json.append('}').toString();
    }

    static String quote(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
