package dev.satflow.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.frames.FrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.TypeScore;
import dev.satflow.trainer.data.Family;
import dev.satflow.trainer.data.TrainingExample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Circular evaluation on hand-built questions with predictors whose answers are known in advance. */
class EvalCircularTest {
    static final EvalFixtures.Set DATA = EvalFixtures.handBuilt(60, 40, 7);

    private static EvalReport score(ChoicePredictor predictor) {
        return run(predictor).report();
    }

    private static Evaluation.Result run(ChoicePredictor predictor) {
        QuestionImages images = new QuestionImages(FrameSource.of(DATA.frames()));
        return Evaluation.run(new Evaluation.Target("run/step-1", "run", 1), "test", DATA.questions(), images,
                predictor, BlindReference.NONE, null, new Evaluation.Options(16, MistakeGallery.Limits.DEFAULT),
                (q, e) -> { throw e; }, 0);
    }

    private static TypeScore type(EvalReport r, String type) {
        return r.getScores().stream().filter(s -> s.getQuestionType().equals(type)).findFirst().orElseThrow();
    }

    private static double share(String type, java.util.function.Predicate<QaRecord> p) {
        List<QaRecord> of = DATA.questions().stream().filter(q -> q.getQuestionType().equals(type)).toList();
        return (double) of.stream().filter(p).count() / of.size();
    }

    @Test
    void rotationsAreCyclicNotPermutations() {
        TrainingExample e = new TrainingExample("q", Family.STATIC, "counting", "How many?", EvalFixtures.COUNTS, 3,
                List.of(new byte[] {1}));
        Set<List<String>> orders = new HashSet<>();
        for (int k = 0; k < 5; k++) {
            TrainingExample r = Rotations.rotate(e, k);
            orders.add(r.choices());
            assertEquals("3", r.choices().get(r.correctIndex()), "the right answer moves with its option");
            assertEquals(k, r.choices().indexOf("0") == 0 ? 0 : 5 - r.choices().indexOf("0"));
            for (int p = 0; p < 5; p++) {
                assertEquals(r.choices().get(p), e.choices().get(Rotations.original(p, k, 5)));
            }
            assertTrue(r.images().get(0) == e.images().get(0), "images shared, not copied");
        }
        assertEquals(5, orders.size(), "5 orders for 5 options, every option once in every position");
        for (int pos = 0; pos < 5; pos++) {
            Set<String> atPos = new HashSet<>();
            for (List<String> o : orders) {
                atPos.add(o.get(pos));
            }
            assertEquals(5, atPos.size());
        }
        assertEquals(List.of("right", "left"), Rotations.rotate(new TrainingExample("q", Family.STATIC, "left_right",
                "?", EvalFixtures.LEFT_RIGHT, 0, List.of(new byte[] {1})), 1).choices());
    }

    @Test
    void theObjectAnOptionNamesTravelsWithIt() {
        List<TrainingExample.Grounding> where = List.of(new TrainingExample.Grounding(0, 0, 0, 0.5f, 0.5f),
                new TrainingExample.Grounding(1, 0.5f, 0.5f, 1, 1));
        TrainingExample e = new TrainingExample("q", Family.STATIC, "relative_depth", "Which is closer?",
                List.of("the red mug", "the oak table", "neither"), 1, List.of(new byte[] {1}), List.of(), where,
                List.of(0, 1, -1));
        TrainingExample r = Rotations.rotate(e, 1);
        assertEquals(List.of("the oak table", "neither", "the red mug"), r.choices());
        assertEquals(List.of(1, -1, 0), r.choiceRoles());
        assertEquals(0, r.correctIndex());
        assertEquals(where, r.grounding(), "where the objects are does not change with the order of the options");
    }

    @Test
    void alwaysFirstGetsThePositionShareButNoCircularCredit() {
        Evaluation.Result result = run(EvalFixtures.FIRST);
        EvalReport r = result.report();
        for (String t : List.of("left_right", "counting")) {
            TypeScore s = type(r, t);
            assertEquals(share(t, q -> q.getCorrectIndex() == 0), s.getAccuracy(), 1e-6, t + " plain = position share");
            assertEquals(0f, s.getCircularAccuracy(), t + " circular");
            assertEquals(0, s.getCircularCorrect());
        }
        assertEquals(0f, r.getCircularAccuracy());
        assertTrue(r.getAccuracy() > 0.2f, "the answer sits first often enough to score: " + r.getAccuracy());
        assertEquals(60 * 2 + 40 * 5, result.held().presentations(), "C orders per question, not C!");
    }

    @Test
    void perfectPredictorScoresOneBothWays() {
        EvalReport r = score(EvalFixtures.PERFECT);
        assertEquals(1f, r.getAccuracy());
        assertEquals(1f, r.getCircularAccuracy());
        for (TypeScore s : r.getScores()) {
            assertEquals(1f, s.getAccuracy());
            assertEquals(1f, s.getCircularAccuracy());
            assertEquals(s.getCount(), s.getCircularCorrect());
        }
        assertEquals(100, r.getCount());
        assertEquals(1f, r.getOverall().getCircularAccuracy());
    }

    @Test
    void predictorKeyedOnOptionTextIsRightWhereverTheOptionStands() {
        EvalReport r = score(EvalFixtures.BY_TEXT);
        double left = share("left_right", q -> q.getCorrectAnswer().equals("left"));
        double two = share("counting", q -> q.getCorrectAnswer().equals("2"));
        assertTrue(left > 0.2 && left < 0.8 && two > 0.05, "the data has both answers: " + left + ", " + two);
        assertEquals(left, type(r, "left_right").getAccuracy(), 1e-6);
        assertEquals(left, type(r, "left_right").getCircularAccuracy(), 1e-6, "same option in every order");
        assertEquals(two, type(r, "counting").getAccuracy(), 1e-6);
        assertEquals(two, type(r, "counting").getCircularAccuracy(), 1e-6);
    }

    @Test
    void rightOnlyInTheRecordsOwnOrderCountsPlainButNotCircular() {
        Map<String, List<String>> shown = new HashMap<>();
        DATA.questions().forEach(q -> shown.put(q.getQaId(), q.getChoices()));
        // knows the answer, but only recognises it with the options as the record lists them
        ChoicePredictor orderBound = examples -> examples.stream().mapToInt(e -> e.choices().equals(
                shown.get(e.qaId())) ? e.correctIndex() : (e.correctIndex() + 1) % e.choices().size()).toArray();
        Evaluation.Result result = run(orderBound);
        assertEquals(1f, result.report().getAccuracy());
        assertEquals(0f, result.report().getCircularAccuracy());
        MistakeGallery g = result.gallery();
        assertEquals(60, g.seen("left_right", MistakeGallery.Kind.ORDER));
        assertEquals(0, g.seen("left_right", MistakeGallery.Kind.MISTAKE));
        assertEquals(MistakeGallery.Limits.DEFAULT.order(), g.cards().get("left_right").size());
    }

    @Test
    void chanceAnswerPriorAndPhrasingSideBySide() {
        // right on held-out phrasing only
        Set<String> heldOut = new HashSet<>();
        DATA.questions().stream().filter(QaRecord::getHeldOutPhrasing).forEach(q -> heldOut.add(q.getQaId()));
        ChoicePredictor unseenOnly = examples -> examples.stream().mapToInt(e -> heldOut.contains(e.qaId())
                ? e.correctIndex() : (e.correctIndex() + 1) % e.choices().size()).toArray();
        EvalReport r = score(unseenOnly);
        TypeScore lr = type(r, "left_right");
        assertEquals(0.5f, lr.getChance(), 1e-6);
        assertEquals(0.2f, type(r, "counting").getChance(), 1e-6);
        assertEquals(1f, lr.getHeldOutPhrasingAccuracy());
        assertEquals(1f, lr.getHeldOutPhrasingCircularAccuracy());
        assertEquals(0f, lr.getSeenPhrasingAccuracy());
        assertEquals(20, lr.getHeldOutPhrasingCount());
        assertEquals(40, lr.getSeenPhrasingCount());
        double prior = Math.max(share("left_right", q -> q.getCorrectAnswer().equals("left")),
                share("left_right", q -> q.getCorrectAnswer().equals("right")));
        assertEquals(prior, lr.getMajority(), 1e-6);
        assertEquals((60 * 0.5 + 40 * 0.2) / 100, r.getChance(), 1e-6);
        assertNull(lr.getBlindText(), "no blind report handed in");
        assertNotNull(r.getOverall());
        assertEquals("all", r.getOverall().getQuestionType());
        assertEquals(r.getScores().stream().mapToInt(TypeScore::getHeldOutPhrasingCount).sum(),
                r.getOverall().getHeldOutPhrasingCount());
    }

    @Test
    void unresolvedQuestionsAreLeftOutAndNamed() {
        List<QaRecord> qs = new ArrayList<>(DATA.questions().subList(0, 10));
        qs.add(EvalFixtures.question("lost", "scene-0", "test", "left_right", EvalFixtures.LEFT_RIGHT, 0, false,
                List.of(EvalFixtures.ref("scene-0/v0", 0, 999)), List.of()));
        List<String> skipped = new ArrayList<>();
        Evaluation.Result result = Evaluation.run(new Evaluation.Target("c", "r", 1), "test", qs,
                new QuestionImages(FrameSource.of(DATA.frames())), EvalFixtures.PERFECT, BlindReference.NONE, null,
                Evaluation.Options.DEFAULT, (q, e) -> skipped.add(q.getQaId() + ": " + e.getMessage()), 0);
        assertEquals(10, result.report().getCount());
        assertEquals(1, result.held().skipped());
        assertTrue(skipped.get(0).startsWith("lost: frames[0]"), skipped.toString());
    }
}
