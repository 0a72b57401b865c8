package dev.satflow.ops.console;

import static dev.satflow.ops.console.ConsoleFixtures.deadLetter;
import static dev.satflow.ops.console.ConsoleFixtures.eval;
import static dev.satflow.ops.console.ConsoleFixtures.frame;
import static dev.satflow.ops.console.ConsoleFixtures.question;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the console holds: bounded rings, filters, live-only rates and pushes, evaluations, dead letters. */
class ConsoleStateTest {
    private static final ConsoleState.Limits SMALL = new ConsoleState.Limits(10, 3, 4, 2, 8, 5, 3, 2, 5, 6, 2);

    @Test
    void ringsStayBoundedAndARareTypeKeepsItsCards() {
        ConsoleState s = new ConsoleState(SMALL);
        s.onQa(0, 0, 0, question("scene-0", 0, "counting", "test", 0, 0, 64), false, 0);
        s.onQa(0, 1, 0, question("scene-0", 1, "counting", "train", 0, 0, 64), false, 0);
        for (int i = 0; i < 500; i++) {
            s.onQa(1, i, 0, question("scene-" + i, i, i % 2 == 0 ? "left_right" : "relative_depth", "train", 1, i, 64),
                    false, 0);
        }
        for (int i = 0; i < 40; i++) { // more types than the console keeps rings for
            s.onQa(2, i, 0, question("scene-x", i, "type_" + i, "val", 2, i, 64), false, 0);
        }
        List<ConsoleState.Card> counting = s.cards(new ConsoleState.Filter("counting", ""), 100);
        assertEquals(2, counting.size(), "a rare type's cards survive 540 others");
        assertTrue(counting.get(0).seq() < counting.get(1).seq(), "oldest first");
        assertEquals(1, s.cards(new ConsoleState.Filter("counting", "test"), 100).size());
        assertTrue(s.cards(ConsoleState.Filter.ALL, 10_000).size() <= SMALL.recentCards()
                + SMALL.cardsPerType() * SMALL.types());
        assertEquals(3, s.cards(new ConsoleState.Filter("left_right", ""), 100).size());
        assertEquals(5, s.cards(ConsoleState.Filter.ALL, 5).size());
        assertTrue(s.card(1, 499).isPresent());
        assertTrue(s.card(1, 3).isEmpty(), "evicted");
        JsonNode stats = s.tick(0).stats();
        assertEquals(542, stats.path("totals").path("qa").asLong(), "totals count every record read");
        assertEquals(250, stats.path("qaByType").path("left_right").asLong());

        for (int i = 0; i < 10; i++) {
            s.onFrame(0, i, 0, frame("scene-0", "scene-0/v" + i, 32), true, 0);
        }
        assertTrue(s.frame(0, 9).isPresent());
        assertTrue(s.frame(0, 7).isEmpty(), "only the latest frames keep their pixels");
        assertEquals(2, s.frames(100).size());
    }

    @Test
    void onlyLiveRecordsCountTowardsRatesAndArePushed() {
        ConsoleState s = new ConsoleState(SMALL);
        for (int i = 0; i < 4; i++) {
            s.onQa(0, i, 0, question("scene-" + i, i, "left_right", "train", 0, i, 64), false, 10_000);
        }
        ConsoleState.Tick history = s.tick(11_000);
        assertTrue(history.cards().isEmpty(), "history is not pushed as new");
        assertEquals(0.0, history.stats().path("rates").path("qa").asDouble());

        for (int i = 0; i < 10; i++) { // 10 live questions in second 20, more than a tick pushes
            s.onQa(0, 10 + i, 0, question("scene-" + i, i, "left_right", "train", 0, 10 + i, 64), true, 20_000 + i);
        }
        ConsoleState.Tick live = s.tick(21_000);
        assertEquals(SMALL.freshCards(), live.cards().size());
        assertEquals(4, live.cardsDropped());
        assertEquals(19, live.cards().get(live.cards().size() - 1).offset(), "the newest kept");
        assertEquals(2.0, live.stats().path("rates").path("qa").asDouble(), "10 in the 5 s window");
        assertTrue(s.tick(22_000).cards().isEmpty(), "pushed once");
        assertEquals(0.0, s.tick(40_000).stats().path("rates").path("qa").asDouble(), "the window moved on");
        assertTrue(s.history().size() <= SMALL.history());
    }

    @Test
    void evaluationsAreOnePerCheckpointWithTheBestBlindBaseline() {
        ConsoleState s = new ConsoleState(SMALL);
        s.onEval(eval("run-1", 10, 0.6f, 0.52f, 0.55f), false, 0);
        s.onEval(eval("run-1", 10, 0.7f, 0.52f, 0.55f), false, 0); // the at-least-once evaluator sent it again
        s.onEval(eval("run-1", 20, 0.8f, null, null), true, 0);
        List<com.fasterxml.jackson.databind.node.ObjectNode> evals = s.evals();
        assertEquals(2, evals.size());
        JsonNode first = evals.get(0).path("types").path("left_right");
        assertEquals(0.7, first.path("acc").asDouble(), 1e-6, "the repeat replaced the first");
        assertEquals(0.65, first.path("circ").asDouble(), 1e-6);
        assertEquals(0.55, first.path("blind").asDouble(), 1e-6, "best cross-validated blind model");
        assertEquals(0.9, evals.get(1).path("types").path("left_right").path("blind").asDouble(), 1e-6,
                "the test-split one where not cross-validated");
        assertEquals(3, s.tick(0).evals().size(), "pages get every report, the repeat included (they key by id)");
    }

    @Test
    void deadLettersAreCountedByStageAndReason() {
        ConsoleState s = new ConsoleState(SMALL);
        for (int i = 0; i < 5; i++) {
            s.onDeadLetter(0, i, 1000 + i, deadLetter("render", "objects[3].size", "size = -1: must be > 0"), true, 0);
        }
        s.onDeadLetter(0, 5, 2000, deadLetter("qa", null, "scene incomplete"), true, 0);
        s.onDeadLetter(0, 6, 2001, deadLetter("qa", "a", "x"), true, 0);
        s.onDeadLetter(0, 7, 2002, deadLetter("qa", "b", "y"), true, 0); // past dlqKeys: lumped together
        JsonNode dlq = s.tick(3000).stats().path("dlq");
        assertEquals(8, dlq.path("total").asLong());
        JsonNode top = dlq.path("reasons").get(0);
        assertEquals("render", top.path("stage").asText());
        assertEquals("objects[3].size", top.path("reason").asText());
        assertEquals(5, top.path("count").asLong());
        assertEquals(1004, top.path("last").asLong());
        assertTrue(top.path("example").asText().contains("must be > 0"));
        assertEquals(4, dlq.path("reasons").size(), "three reasons and 'other'");
        assertEquals(2, dlq.path("recent").size());
    }
}
