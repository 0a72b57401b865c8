package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satflow.evaluator.BlindReference;
import dev.satflow.evaluator.CircularScorer;
import dev.satflow.evaluator.Scoreboard;
import dev.satflow.schema.EvalReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The evaluation part of summary.json and the printed table carry every figure per type. */
class EvalSummaryTest {
    static EvalReport report() {
        Scoreboard board = new Scoreboard();
        // left_right: 4 questions; right as shown 3, in both orders 1; one in a held-out phrasing (right)
        board.add("left_right", 2, "left", false, new CircularScorer.Outcome(0, new int[] {0, 0}));
        board.add("left_right", 2, "left", false, new CircularScorer.Outcome(0, new int[] {0, 1}));
        board.add("left_right", 2, "right", true, new CircularScorer.Outcome(1, new int[] {1, 0}));
        board.add("left_right", 2, "right", false, new CircularScorer.Outcome(1, new int[] {0, 0}));
        // counting: 2 questions, 5 options
        board.add("counting", 5, "2", false, new CircularScorer.Outcome(2, new int[] {2, 2, 2, 2, 2}));
        board.add("counting", 5, "3", false, new CircularScorer.Outcome(3, new int[] {1, 1, 1, 1, 1}));
        BlindReference.Numbers lr = new BlindReference.Numbers(0.49, 0.51, 40, 0.5, 0.52, 200, 0.069);
        BlindReference blind = new BlindReference(1000, Map.of("left_right", lr), BlindReference.Numbers.EMPTY);
        return board.report("run/step-5", "run", 5, "test", blind, 0);
    }

    @Test
    void summaryCarriesEveryFigurePerType() {
        ObjectNode root = new ObjectMapper().createObjectNode();
        Demo.putEvaluation(root, report());
        // the maps DemoIT and older readers use
        assertEquals(0.75, root.get("accuracy").get("left_right").asDouble(), 1e-6);
        assertEquals(0.5, root.get("chance").get("left_right").asDouble(), 1e-6);
        assertEquals(0.5, root.get("majority").get("left_right").asDouble(), 1e-6);
        assertEquals(4, root.get("eval_count").get("left_right").asInt());
        // and the new ones
        assertEquals(0.25, root.get("circular_accuracy").get("left_right").asDouble(), 1e-6);
        assertEquals(0.5, root.get("circular_accuracy").get("counting").asDouble(), 1e-6);
        assertEquals(0.5, root.get("answer_prior").get("counting").asDouble(), 1e-6);
        assertEquals(1.0, root.get("heldout_phrasing_accuracy").get("left_right").asDouble(), 1e-6);
        assertTrue(root.get("heldout_phrasing_accuracy").get("counting").isNull(), "none in a held-out phrasing");
        assertEquals(2.0 / 6, root.get("circular_accuracy_all").asDouble(), 1e-6);
        JsonNode t = root.get("types").get("left_right");
        for (String k : List.of("accuracy", "circular_accuracy", "chance", "answer_prior", "heldout_phrasing_accuracy",
                "seen_phrasing_accuracy")) {
            assertTrue(t.get(k).isNumber(), k + " in " + t);
        }
        assertEquals(0.49, t.get("blind").get("test").get("text").asDouble(), 1e-4);
        assertEquals(0.51, t.get("blind").get("test").get("category").asDouble(), 1e-4);
        assertEquals(0.5, t.get("blind").get("cv").get("text").asDouble(), 1e-4);
        assertEquals(0.52, t.get("blind").get("cv").get("category").asDouble(), 1e-4);
        assertEquals(200, t.get("blind").get("cv").get("n").asInt());
        assertEquals(2.0 / 3, t.get("seen_phrasing_accuracy").asDouble(), 1e-4);
        assertTrue(root.get("types").get("counting").get("blind").get("cv").get("text").isNull(), "not scored");
        assertEquals(6, root.get("types").get("all").get("count").asInt());
        assertEquals(1000, root.get("blind_records").asLong());
    }

    @Test
    void tablePrintsCircularBlindAndPhrasing() {
        String table = ReportTable.format(report());
        System.out.print(table);
        assertTrue(table.contains("question type") && table.contains("circular") && table.contains("chance"));
        String lr = table.lines().filter(l -> l.startsWith("left_right")).findFirst().orElseThrow();
        assertTrue(lr.matches("left_right\\s+4\\s+0\\.750\\s+0\\.250\\s+0\\.500\\s+0\\.500\\s+0\\.490\\s+0\\.510\\s+"
                + "0\\.500\\s+0\\.520\\s+1\\.000 \\(1\\)\\s+0\\.667 \\(3\\)"), lr);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("all ") && l.contains("0.333")), table);
        assertTrue(table.contains("over 1000 QA records"));
    }
}
