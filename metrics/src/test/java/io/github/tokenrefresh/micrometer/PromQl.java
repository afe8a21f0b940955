package io.github.tokenrefresh.micrometer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads what a PromQL expression selects, far enough to check a dashboard against a scrape: each instant or range
 * vector selector (metric name and label matchers) and the labels of every {@code by (...)} clause.
 *
 * <p>Not a PromQL parser: it tokenizes, treats an identifier followed by {@code (} as a function, skips range and
 * subquery brackets, numbers and durations, and knows the aggregation operators and keywords by name.
 */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of(
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio",
            "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
            "atan2");

    /** A label matcher such as {@code name=~"$name"}. */
    record Matcher(String label, String operator, String value) {

        boolean matches(String actual) {
            String subject = actual == null ? "" : actual;
            switch (operator) {
                case "=":
                    return subject.equals(value);
                case "!=":
                    return !subject.equals(value);
                case "=~":
                    return subject.matches(value);
                case "!~":
                    return !subject.matches(value);
                default:
                    throw new IllegalStateException("unknown matcher operator " + operator);
            }
        }
    }

    /** A vector selector: a metric name and its label matchers. */
    record Selector(String metric, List<Matcher> matchers) {
    }

    private final String text;
    private int pos;
    private final List<Selector> selectors = new ArrayList<>();
    private final Set<String> groupingLabels = new LinkedHashSet<>();

    private PromQl(String text) {
        this.text = text;
    }

    static PromQl read(String expression) {
        PromQl reader = new PromQl(expression);
        reader.scan();
        return reader;
    }

    List<Selector> selectors() {
        return selectors;
    }

    Set<String> groupingLabels() {
        return groupingLabels;
    }

    private void scan() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '"' || c == '\'' || c == '`') {
                readString();
            } else if (c == '[') {
                skipPast(']');
            } else if (c == '$') {
                // A Grafana variable outside a string or range, such as $__interval in a subquery step.
                pos++;
                readIdentifier();
            } else if (c == '{') {
                // A selector without a metric name, such as {__name__="x"}.
                selectors.add(new Selector(null, readMatchers()));
            } else if (Character.isDigit(c) || c == '.') {
                while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos))
                        || text.charAt(pos) == '.')) {
                    pos++;
                }
            } else if (isIdentifierStart(c)) {
                readIdentifierOrSelector();
            } else {
                pos++;
            }
        }
    }

    private void readIdentifierOrSelector() {
        String identifier = readIdentifier();
        skipWhitespace();
        boolean call = pos < text.length() && text.charAt(pos) == '(';
        if (identifier.equals("by") || identifier.equals("without")) {
            if (!call) {
                throw new IllegalArgumentException("'" + identifier + "' without a label list in " + text);
            }
            groupingLabels.addAll(readLabelList());
            return;
        }
        if (identifier.equals("on") || identifier.equals("ignoring")) {
            if (call) {
                readLabelList();
            }
            return;
        }
        if (call || KEYWORDS.contains(identifier)) {
            return;
        }
        List<Matcher> matchers = pos < text.length() && text.charAt(pos) == '{' ? readMatchers() : List.of();
        selectors.add(new Selector(identifier, matchers));
    }

    private List<String> readLabelList() {
        List<String> labels = new ArrayList<>();
        pos++;
        while (true) {
            skipWhitespace();
            char c = text.charAt(pos);
            if (c == ')') {
                pos++;
                return labels;
            }
            if (c == ',') {
                pos++;
                continue;
            }
            labels.add(readIdentifier());
        }
    }

    private List<Matcher> readMatchers() {
        List<Matcher> matchers = new ArrayList<>();
        pos++;
        while (true) {
            skipWhitespace();
            char c = text.charAt(pos);
            if (c == '}') {
                pos++;
                return matchers;
            }
            if (c == ',') {
                pos++;
                continue;
            }
            String label = readIdentifier();
            skipWhitespace();
            int start = pos;
            while ("=!~".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            String operator = text.substring(start, pos);
            skipWhitespace();
            matchers.add(new Matcher(label, operator, readString()));
        }
    }

    private String readString() {
        char quote = text.charAt(pos++);
        StringBuilder value = new StringBuilder();
        while (text.charAt(pos) != quote) {
            char c = text.charAt(pos++);
            if (c == '\\' && quote != '`') {
                c = text.charAt(pos++);
            }
            value.append(c);
        }
        pos++;
        return value.toString();
    }

    private String readIdentifier() {
        int start = pos;
        if (pos >= text.length() || !isIdentifierStart(text.charAt(pos))) {
            throw new IllegalArgumentException("expected a name at " + pos + " in " + text);
        }
        while (pos < text.length() && (isIdentifierStart(text.charAt(pos)) || Character.isDigit(text.charAt(pos)))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void skipPast(char end) {
        while (text.charAt(pos) != end) {
            pos++;
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c == ':';
    }
}
