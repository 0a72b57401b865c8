package dev.satflow.evaluator.blind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satflow.schema.QaRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DatasetReport: statistics + blind baselines, JSON shape and table. */
class DatasetStatsReportTest {

    @Test
    void jsonShape() throws Exception {
        // 600 train, 300 test; counting keeps 10 test records, the rest become val -> also scored on val+test.
        List<QaRecord> all = new ArrayList<>();
        int countingTest = 0;
        for (QaRecord r : BlindSynth.textDecided(900, 21, false)) {
            if (r.getSplit().equals("test") && r.getQuestionType().equals("counting") && countingTest++ >= 10) {
                r = QaRecord.newBuilder(r).setSplit("val").build();
            }
            all.add(r);
        }
        DatasetReport report = DatasetReport.of(all, 5);
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(report.toJson()));

        for (String type : List.of("above_below", "relative_depth", "counting")) {
            JsonNode t = json.at("/types/" + type);
            for (String field : List.of("count", "by_split", "chance", "majority_answer", "majority_share", "blind",
                    "blind_category", "blind_n", "shortcuts")) {
                assertTrue(t.has(field), type + " lacks " + field + ": " + t);
            }
            assertTrue(t.get("shortcuts").isArray());
            assertTrue(t.get("blind").asDouble() >= 0.9, type + ": " + t.get("blind"));
        }
        JsonNode ab = json.at("/types/above_below");
        assertEquals(300, ab.get("count").asInt());
        assertEquals(200, ab.at("/by_split/train").asInt());
        assertEquals(100, ab.get("blind_n").asInt());
        assertFalse(ab.has("blind_val_test"), "enough test records");
        assertEquals(0.5, ab.get("chance").asDouble(), 1e-9);

        JsonNode counting = json.at("/types/counting");
        assertEquals(10, counting.get("blind_n").asInt());
        assertEquals(100, counting.at("/blind_val_test/n").asInt());
        assertTrue(counting.at("/blind_val_test/blind").asDouble() >= 0.9);

        JsonNode a = json.get("all");
        assertEquals(900, a.get("count").asInt());
        assertEquals(600, a.at("/by_split/train").asInt());
        assertEquals(210, a.get("blind_n").asInt());
        assertTrue(a.get("blind").isNumber() && a.get("blind_category").isNumber());

        String table = report.format();
        System.out.println(table);
        assertTrue(table.contains("blind_cat"));
        assertTrue(table.contains("100*"), "counting scored on val+test is marked");
    }

    @Test
    void withoutTrainRecordsTheBlindFieldsAreNull() {
        List<QaRecord> all = BlindSynth.textDecided(90, 1, false).stream()
                .map(r -> QaRecord.newBuilder(r).setSplit("test").build()).toList();
        DatasetReport report = DatasetReport.of(all, 1);
        assertTrue(report.blindOnTest().isEmpty());
        JsonNode ab = report.toJson().at("/types/above_below");
        assertTrue(ab.get("blind").isNull());
        assertEquals(0, ab.get("blind_n").asInt());
        assertEquals(30, ab.get("count").asInt());
        assertTrue(report.format().contains("not trained"));
    }
}
