package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard cannot drift from the code: every PromQL expression of every panel names only
 * series the code registers ({@link MeterSources}), with labels those meters have; the panels cover what
 * the issue asks for; the datasource and the dashboard provider the provisioning files declare are the
 * ones the dashboard uses.
 */
class GrafanaDashboardTest {
    private static final Path GRAFANA = MeterSources.root().resolve("ops/grafana");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "and", "or", "unless", "inf", "nan");

    /** What one expression selects: metric names, and the label names it matches or groups by. */
    record Query(Set<String> metrics, Map<String, Set<String>> matchers, Set<String> groupedBy) {}

    /** Metric names and labels of a PromQL expression (the subset dashboards use: selectors, functions, by). */
    static Query parse(String expr) {
        String e = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        Map<String, Set<String>> matchers = new LinkedHashMap<>();
        Matcher sel = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*\\{([^}]*)\\}").matcher(e);
        while (sel.find()) {
            Set<String> labels = new TreeSet<>();
            for (String m : sel.group(2).split(",")) {
                if (!m.isBlank()) {
                    labels.add(m.split("=~|!~|!=|=")[0].trim());
                }
            }
            if (sel.group(1) != null) {
                matchers.computeIfAbsent(sel.group(1), k -> new TreeSet<>()).addAll(labels);
            } else {
                labels.stream().filter(l -> !l.equals("__name__")).findAny().ifPresent(l -> {
                    throw new IllegalArgumentException("a selector without a metric name in " + expr);
                });
            }
        }
        e = e.replaceAll("\\{[^}]*\\}", " ").replaceAll("\\[[^\\]]*\\]", " ");
        Set<String> groupedBy = new TreeSet<>();
        Matcher by = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)").matcher(e);
        while (by.find()) {
            for (String l : by.group(2).split(",")) {
                if (!l.isBlank()) {
                    groupedBy.add(l.trim());
                }
            }
        }
        e = by.replaceAll(" ");
        Set<String> metrics = new TreeSet<>();
        Matcher id = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(e);
        while (id.find()) {
            String word = id.group().replaceAll("[\\s(]", "");
            boolean call = id.group(1) != null;
            if (!call && !KEYWORDS.contains(word.toLowerCase()) && !isNumberTail(e, id.start())) {
                metrics.add(word);
            }
        }
        return new Query(metrics, matchers, groupedBy);
    }

    /** An identifier that is the exponent or tail of a number literal (1e3). */
    private static boolean isNumberTail(String e, int start) {
        return start > 0 && Character.isDigit(e.charAt(start - 1));
    }

    @Test
    void promqlReaderFindsMetricsAndLabels() {
        Query q = parse("sum by (stage) (increase(satflow_dead_letters_total{stage!=\"qa\"}[5m])) "
                + "/ on (stage) group_left max(satflow_consumer_lag_records) * 1e3 + up");
        assertEquals(Set.of("satflow_dead_letters_total", "satflow_consumer_lag_records", "up"), q.metrics());
        assertEquals(Map.of("satflow_dead_letters_total", Set.of("stage")), q.matchers());
        assertEquals(Set.of("stage"), q.groupedBy());
    }

    @Test
    void everyPanelQueriesOnlyWhatTheCodeRegisters() throws Exception {
        Map<String, MeterSources.Meter> series = MeterSources.bySeries(MeterSources.scan());
        JsonNode dash = new ObjectMapper().readTree(GRAFANA.resolve("dashboards/satflow.json").toFile());
        assertEquals("satflow", dash.path("uid").asText());
        List<JsonNode> panels = new ArrayList<>();
        dash.path("panels").forEach(p -> {
            panels.add(p);
            p.path("panels").forEach(panels::add); // panels inside collapsed rows
        });
        assertTrue(panels.size() >= 8, "panels: " + panels.size());
        Set<Integer> ids = new HashSet<>();
        Set<String> used = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        String uid = datasourceUid();
        for (JsonNode p : panels) {
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            String title = p.path("title").asText();
            assertTrue(ids.add(p.path("id").asInt()), "panel id " + p.path("id") + " twice");
            assertFalse(title.isBlank(), "a panel without a title");
            assertEquals(uid, p.path("datasource").path("uid").asText(), title + ": datasource");
            assertTrue(p.path("targets").size() > 0, title + ": no queries");
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asText();
                assertFalse(expr.isBlank(), title + ": empty query");
                Query q = parse(expr);
                assertFalse(q.metrics().isEmpty(), title + ": no metric in " + expr);
                Set<String> labels = new TreeSet<>();
                for (String metric : q.metrics()) {
                    MeterSources.Meter m = series.get(metric);
                    if (m == null) {
                        problems.add(title + ": '" + metric + "' is not a series the code registers (" + expr + ")");
                        continue;
                    }
                    used.add(m.name());
                    labels.addAll(m.labels());
                    Set<String> matched = q.matchers().getOrDefault(metric, Set.of());
                    if (!m.labels().containsAll(matched)) {
                        problems.add(title + ": " + metric + " has labels " + m.labels() + ", not " + matched);
                    }
                }
                if (!labels.containsAll(q.groupedBy())) {
                    problems.add(title + ": groups by " + q.groupedBy() + " but the series have " + labels);
                }
            }
        }
        assertEquals(List.of(), problems);
        // what issue 10 asks the dashboard to show
        for (String needed : List.of("satflow_scenes_rendered_total", "satflow_frames_rendered_total",
                "satflow_questions_emitted_total", "satflow_consumer_lag_records", "satflow_dead_letters_total",
                "satflow_train_loss", "satflow_train_samples_per_second", "satflow_eval_accuracy")) {
            assertTrue(used.contains(needed), "no panel shows " + needed);
        }
    }

    @Test
    void provisioningDeclaresTheDatasourceAndDashboardFolder() throws Exception {
        Map<String, Object> providers = new Yaml().load(Files.readString(
                GRAFANA.resolve("provisioning/dashboards/satflow.yml")));
        assertEquals(1, providers.get("apiVersion"));
        @SuppressWarnings("unchecked")
        Map<String, Object> provider = ((List<Map<String, Object>>) providers.get("providers")).get(0);
        assertEquals("file", provider.get("type"));
        @SuppressWarnings("unchecked")
        Map<String, Object> options = (Map<String, Object>) provider.get("options");
        assertEquals(ComposeFileTest.GRAFANA_DASHBOARDS, options.get("path"), "where compose mounts the dashboards");
        assertTrue(Files.isRegularFile(GRAFANA.resolve("dashboards/satflow.json")));
    }

    @SuppressWarnings("unchecked")
    static String datasourceUid() throws Exception {
        Map<String, Object> ds = new Yaml().load(Files.readString(GRAFANA.resolve("provisioning/datasources/prometheus.yml")));
        Map<String, Object> first = ((List<Map<String, Object>>) ds.get("datasources")).get(0);
        assertEquals("prometheus", first.get("type"));
        assertEquals("http://prometheus:9090", first.get("url"), "the compose service");
        return (String) first.get("uid");
    }
}
