package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every satflow meter in the code follows the naming rules (counters {@code _total}, timers
 * {@code _seconds}, bounded labels only), and the README's metrics table lists exactly those meters
 * with their types and labels.
 */
class MetricsCatalogTest {
    /** Labels with a bounded set of values; nothing per scene, question, checkpoint or client. */
    private static final Set<String> BOUNDED_LABELS = Set.of("stage", "topic", "type");

    @Test
    void metersFollowTheNamingRules() {
        Map<String, MeterSources.Meter> meters = MeterSources.scan();
        assertTrue(meters.size() >= 20, "meters found: " + meters.keySet());
        List<String> problems = new ArrayList<>();
        for (MeterSources.Meter m : meters.values()) {
            if (!m.name().matches("satflow_[a-z0-9]+(_[a-z0-9]+)*")) {
                problems.add(m.name() + ": not satflow_snake_case");
            }
            if (m.kind() == MeterSources.Kind.COUNTER != m.name().endsWith("_total")) {
                problems.add(m.name() + ": a " + m.kind() + " (only counters end in _total)");
            }
            if (m.kind() == MeterSources.Kind.TIMER && !m.name().endsWith("_seconds")) {
                problems.add(m.name() + ": a timer not in _seconds");
            }
            if (!BOUNDED_LABELS.containsAll(m.labels())) {
                problems.add(m.name() + ": labels " + m.labels() + " beyond " + BOUNDED_LABELS);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void readmeTableListsEveryMeterWithItsTypeAndLabels() throws Exception {
        Map<String, MeterSources.Meter> meters = MeterSources.scan();
        List<String> lines = Files.readAllLines(MeterSources.root().resolve("README.md"));
        int header = lines.indexOf("| metric | type | labels | from | meaning |");
        assertTrue(header >= 0, "README has the metrics table");
        Map<String, String[]> rows = new TreeMap<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = Arrays.stream(lines.get(i).split("\\|", -1)).map(String::trim).toArray(String[]::new);
            String name = cells[1].replace("`", "");
            assertTrue(rows.put(name, cells) == null, name + " twice in the README");
            assertTrue(!cells[5].isBlank(), name + ": no meaning given");
        }
        assertEquals(meters.keySet(), rows.keySet(), "README metrics vs the code's");
        for (MeterSources.Meter m : meters.values()) {
            String[] cells = rows.get(m.name());
            assertEquals(m.kind().name().toLowerCase(), cells[2], m.name() + ": type");
            Set<String> labels = Arrays.stream(cells[3].replace("`", "").split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(m.labels(), labels, m.name() + ": labels");
        }
    }
}
