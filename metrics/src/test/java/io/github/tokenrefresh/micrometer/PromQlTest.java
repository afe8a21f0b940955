package io.github.tokenrefresh.micrometer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromQlTest {

    @Test
    @DisplayName("A quantile over an aggregated rate yields the bucket selector, its matchers and the by-labels")
    void shouldReadSelectorsAndGroupingOfAQuantile() {
        PromQl query = PromQl.read("histogram_quantile(0.99, sum by (name, le) "
                + "(rate(tokenrefresh_refresh_seconds_bucket{name=~\"$name\", outcome!=\"success\"}"
                + "[$__rate_interval])))");

        assertThat(query.selectors()).containsExactly(new PromQl.Selector("tokenrefresh_refresh_seconds_bucket",
                java.util.List.of(new PromQl.Matcher("name", "=~", "$name"),
                        new PromQl.Matcher("outcome", "!=", "success"))));
        assertThat(query.groupingLabels()).containsExactly("name", "le");
    }

    @Test
    @DisplayName("Aggregators, functions, keywords, numbers and variables are not taken for metric names")
    void shouldNotTakeOperatorsForMetrics() {
        PromQl query = PromQl.read("max(a_total) by (name) / on (name) group_left sum without (le) "
                + "(increase(b_total[5m] offset 1h)) > bool 0.5 or c $__interval");

        assertThat(query.selectors()).extracting(PromQl.Selector::metric)
                .containsExactly("a_total", "b_total", "c");
        assertThat(query.groupingLabels()).containsExactly("name", "le");
    }

    @Test
    @DisplayName("Matchers apply Prometheus semantics: regexes match the whole value, a missing label is empty")
    void shouldMatchLikePrometheus() {
        assertThat(new PromQl.Matcher("name", "=~", "ord.*").matches("orders")).isTrue();
        assertThat(new PromQl.Matcher("name", "=~", "ord").matches("orders")).isFalse();
        assertThat(new PromQl.Matcher("name", "!=", "x").matches(null)).isTrue();
        assertThat(new PromQl.Matcher("name", "=", "x").matches(null)).isFalse();
    }
}
