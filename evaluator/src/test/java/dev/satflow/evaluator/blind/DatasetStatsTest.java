package dev.satflow.evaluator.blind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satflow.schema.QaRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetStatsTest {

    /**
     * 25 above_below (20 train on template sat, 5 test on template held; "below" right 24 times, two per scene so
     * 11 scenes repeat a pair), 3 relative_depth (description options, always the first named object) and
     * 2 counting records (4 options).
     */
    static List<QaRecord> handBuilt() {
        List<QaRecord> out = new ArrayList<>();
        String q = "Is the red mug above or below the oak table?";
        for (int i = 0; i < 25; i++) {
            List<String> choices = i % 2 == 0 ? List.of("above", "below") : List.of("below", "above");
            String answer = i == 0 ? "above" : "below";
            boolean train = i < 20;
            out.add(BlindSynth.record("ab" + i, "s" + i / 2, train ? "train" : "test", "above_below",
                    train ? "above_below/sat" : "above_below/held", q, choices, choices.indexOf(answer),
                    List.of(BlindSynth.subject(1, "mug", "red mug", "A"), BlindSynth.subject(2, "table", "oak table",
                            "B"))));
        }
        for (int i = 0; i < 3; i++) {
            List<String> choices = i == 1 ? List.of("the oak table", "the red mug") : List.of("the red mug",
                    "the oak table");
            out.add(BlindSynth.record("rd" + i, "t" + i, "val", "relative_depth", "relative_depth/sat",
                    "Which is closer, the red mug or the oak table?", choices, choices.indexOf("the red mug"),
                    List.of(BlindSynth.subject(1, "mug", "red mug", "A"), BlindSynth.subject(2, "table", "oak table",
                            "B"))));
        }
        out.add(BlindSynth.record("c0", "u0", "train", "counting", "counting/sat", "How many mugs are there?",
                List.of("1", "2", "3", "4"), 1, List.of(BlindSynth.subject(1, "mug", "mug", "subject"))));
        out.add(BlindSynth.record("c1", "u1", "test", "counting", "counting/sat", "How many mugs are there?",
                List.of("4", "1", "3", "2"), 3, List.of(BlindSynth.subject(1, "mug", "mug", "subject"))));
        return out;
    }

    @Test
    void countsPriorsAndShortcuts() {
        DatasetStats stats = new DatasetStats();
        handBuilt().forEach(stats::add); // streaming
        assertEquals(List.of("above_below", "counting", "relative_depth"), List.copyOf(stats.types().keySet()));
        assertEquals(List.of("train", "val", "test"), stats.splits());
        assertEquals(30, stats.all().count());
        assertEquals(21, stats.all().count("train"));
        assertEquals(3, stats.all().count("val"));

        DatasetStats.TypeStats ab = stats.types().get("above_below");
        assertEquals(25, ab.count());
        assertEquals(20, ab.count("train"));
        assertEquals(5, ab.count("test"));
        assertEquals(0.5, ab.chance(), 1e-12);
        assertEquals("below", ab.majorityAnswer());
        assertEquals(24.0 / 25, ab.majorityShare(), 1e-12);
        assertEquals(1.0, ab.bySplit().get("test").majorityShare(), 1e-12);
        assertArrayEquals(new long[] {13, 12}, ab.positions().get(2));
        assertEquals(13.0 / 25, ab.positionMaxShare(), 1e-12);

        List<DatasetStats.OptionRate> sc = ab.shortcuts();
        assertEquals(2, sc.size(), sc.toString());
        DatasetStats.OptionRate below = ab.optionRate("text", "below");
        assertEquals(25, below.offered());
        assertEquals(24, below.correct());
        assertEquals(0.5, below.expected(), 1e-12);
        assertTrue(below.shortcut());
        assertTrue(ab.optionRate("text", "above").shortcut(), "right 1 in 25: a shortcut the other way");

        assertEquals(11, ab.repeatedPairs());
        assertEquals(11, ab.repeatedRecords());
        assertEquals(2, ab.repeats(100).get(0).times());
        assertEquals(Map.of("train", 20L), ab.templates().get("above_below/sat"));
        assertEquals(List.of("above_below/held"), ab.templatesOnlyIn("test"));

        DatasetStats.TypeStats rd = stats.types().get("relative_depth");
        assertEquals("the red mug", rd.majorityAnswer());
        assertEquals(1.0, rd.majorityShare(), 1e-12);
        DatasetStats.OptionRate roleA = rd.optionRate("role", "the <A>");
        assertEquals(3, roleA.offered());
        assertEquals(3, roleA.correct());
        assertEquals(3, rd.optionRate("category", "the [mug]").correct());
        assertEquals(0, rd.optionRate("category", "the [table]").correct());
        assertFalse(roleA.shortcut(), "only 3 offers");

        DatasetStats.TypeStats c = stats.types().get("counting");
        assertArrayEquals(new long[] {0, 1, 0, 1}, c.positions().get(4));
        assertEquals(0.25, c.chance(), 1e-12);
        assertEquals((25 * 0.5 + 3 * 0.5 + 2 * 0.25) / 30, stats.all().chance(), 1e-12);
    }

    @Test
    void jsonAndTable() {
        DatasetStats stats = DatasetStats.of(handBuilt());
        ObjectNode json = stats.toJson();
        JsonNode ab = json.at("/types/above_below");
        assertEquals(25, ab.get("count").asInt());
        assertEquals(20, ab.at("/by_split/train").asInt());
        assertEquals(0.96, ab.get("majority_share").asDouble(), 1e-9);
        assertEquals("below", ab.get("majority_answer").asText());
        assertEquals(2, ab.get("shortcuts").size());
        assertEquals("below", ab.at("/shortcuts/0/option").asText());
        assertEquals(24, ab.at("/shortcuts/0/correct").asInt());
        assertEquals(13, ab.at("/position_prior/2/counts/0").asInt());
        assertEquals(11, ab.at("/repeats/records").asInt());
        assertEquals(20, ab.at("/templates/above_below~1sat/train").asInt());
        assertEquals("above_below/held", ab.at("/templates_test_only/0").asText());
        assertEquals(30, json.at("/all/count").asInt());
        assertEquals(11, json.at("/all/repeats/records").asInt());
        assertEquals((24 + 3 + 2) / 30.0, json.at("/all/type_prior_share").asDouble(), 1e-4);

        String table = stats.format();
        System.out.println(table);
        List<String> lines = table.lines().toList();
        String header = lines.get(0);
        int countEnd = header.indexOf("count") + "count".length();
        String abRow = lines.stream().filter(l -> l.startsWith("above_below")).findFirst().orElseThrow();
        assertEquals("25", abRow.substring(countEnd - 2, countEnd), "numbers right-aligned under their header");
        int majority = header.indexOf("majority");
        assertTrue(abRow.startsWith("below", majority), "text left-aligned under its header:\n" + table);
        assertTrue(table.contains("shortcuts ("));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("all")));
    }
}
