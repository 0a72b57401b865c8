package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The exposition reader the metrics tests rely on accepts valid text and rejects each kind of malformed line. */
class PrometheusTextTest {
    private static final String VALID = """
            # HELP satflow_x_total Things done.
            # TYPE satflow_x_total counter
            satflow_x_total{stage="qa"} 3.0
            satflow_x_total{stage="render",note="a \\"quoted\\" \\\\ back\\nslash"} 2
            # TYPE satflow_t_seconds summary
            satflow_t_seconds_count 4
            satflow_t_seconds_sum 0.25
            # TYPE satflow_g gauge
            satflow_g NaN
            satflow_g{k="v"} -1.5e3 1700000000000
            # some other comment
            untyped_thing +Inf
            """;

    @Test
    void readsFamiliesTypesLabelsAndValues() {
        Map<String, PrometheusText.Family> m = PrometheusText.parse(VALID);
        assertEquals(4, m.size(), m.keySet().toString());
        assertEquals("counter", m.get("satflow_x_total").type());
        assertEquals("Things done.", m.get("satflow_x_total").help());
        assertEquals(2.0, m.get("satflow_x_total").sample("satflow_x_total",
                Map.of("stage", "render", "note", "a \"quoted\" \\ back\nslash")).orElseThrow().value());
        assertEquals("summary", m.get("satflow_t_seconds").type());
        assertEquals(2, m.get("satflow_t_seconds").samples().size(), "_count and _sum belong to the summary");
        assertTrue(Double.isNaN(m.get("satflow_g").samples().get(0).value()));
        assertEquals(-1500, m.get("satflow_g").samples().get(1).value());
        assertEquals("untyped", m.get("untyped_thing").type());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "# TYPE a_total countr\na_total 1\n",                  // unknown type
        "# TYPE a gauge\n# TYPE a gauge\na 1\n",               // TYPE twice
        "a 1\n# TYPE a gauge\n",                               // TYPE after samples
        "1abc 2\n",                                            // bad metric name
        "a-b 2\n",                                             // bad metric name
        "a{1x=\"v\"} 2\n",                                     // bad label name
        "a{x=v} 2\n",                                          // unquoted label value
        "a{x=\"v} 2\n",                                        // unterminated label value
        "a{x=\"\\t\"} 2\n",                                    // bad escape
        "a{x=\"v\",x=\"w\"} 2\n",                              // label twice
        "a{x=\"v\" y=\"w\"} 2\n",                              // missing comma
        "a two\n",                                             // value not a number
        "a\n",                                                 // no value
        "a 1 soon\n",                                          // timestamp not an integer
        "a 1\nb 2\na 3\n",                                     // family not contiguous
        "a{x=\"1\"} 1\na{x=\"1\"} 2\n",                        // series twice
        "# TYPE c_total counter\nc_total -1\n",                // negative counter
        "# TYPE c_total counter\nc_total NaN\n",               // NaN counter
        "# TYPE s summary\ns_count -2\n",                      // negative summary count
        "# TYPE s summary\ns 0.3\n",                           // summary quantile without label
        "# TYPE h histogram\nh_bucket 1\n",                    // bucket without le
        "a 1",                                                 // no final newline
    })
    void rejectsMalformedText(String text) {
        assertThrows(PrometheusText.Invalid.class, () -> PrometheusText.parse(text), text);
    }
}
