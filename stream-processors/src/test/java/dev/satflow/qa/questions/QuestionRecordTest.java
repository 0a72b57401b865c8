package dev.satflow.qa.questions;

import static dev.satflow.qa.questions.HandScenes.pose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.marks.MarkPainter;
import dev.satflow.qa.SourcedFrame;
import dev.satflow.schema.Box2d;
import dev.satflow.schema.FrameRef;
import dev.satflow.schema.Mark;
import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.Subject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a satflow-qa/2 record carries besides its text: references to the frames it shows (no
 * pixels), marks where the annotations say the named objects are, the objects it names, and
 * phrasing held out for the test split only.
 */
class QuestionRecordTest {
    private final SatQuestionDeriver deriver = new SatQuestionDeriver(QuestionSettings.defaults(), AnswerPriors.NONE);

    private static SceneSpec withSplit(SceneSpec s, String split) {
        return SceneSpec.newBuilder(s).setSplit(split).build();
    }

    @Test
    void recordsReferenceTheirFramesAndCopyNoPixels() {
        SceneSpec spec = SatQuestionDeriverTest.random(7);
        List<SourcedFrame> frames = HandScenes.frames(spec);
        Map<String, SourcedFrame> byView = new HashMap<>();
        frames.forEach(f -> byView.put(f.frame().getViewId(), f));
        List<QaRecord> qa = deriver.derive(spec, frames);
        assertTrue(qa.size() > 10, qa.size() + " questions");
        for (QaRecord r : qa) {
            assertTrue(r.getImages().isEmpty(), "no inline image bytes: " + r.getQaId());
            assertFalse(r.getFrames().isEmpty(), r.getQaId());
            assertEquals(SatQuestionDeriver.VERSION, r.getGeneratorVersion());
            for (FrameRef ref : r.getFrames()) {
                SourcedFrame f = byView.get(ref.getViewId());
                assertEquals(f.topic(), ref.getTopic());
                assertEquals(f.partition(), ref.getPartition());
                assertEquals(f.offset(), ref.getOffset(), ref.getViewId());
            }
            for (Mark m : r.getMarks()) {
                assertTrue(m.getImage() >= 0 && m.getImage() < r.getFrames().size(), r.getQaId());
            }
        }
    }

    @Test
    void marksSitOnTheObjectsTheQuestionNamesAndHideLittleOfThem() {
        int checked = 0;
        Set<String> kinds = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            SceneSpec spec = SatQuestionDeriverTest.random(seed);
            List<SourcedFrame> frames = HandScenes.frames(spec);
            Map<String, SourcedFrame> byView = new HashMap<>();
            frames.forEach(f -> byView.put(f.frame().getViewId(), f));
            for (QaRecord r : deriver.derive(spec, frames)) {
                Set<Integer> named = new HashSet<>();
                for (Subject s : r.getSubjects()) {
                    named.add(s.getObjectId());
                }
                for (Mark m : r.getMarks()) {
                    kinds.add(m.getKind());
                    if (m.getKind().equals("cross")) {
                        assertEquals(QuestionTypes.PERSPECTIVE, r.getQuestionType());
                        continue;
                    }
                    assertTrue(named.contains(m.getObjectId()), r.getQaId() + ": marks an object it names");
                    ObjectAnnotation a = byView.get(r.getFrames().get(m.getImage()).getViewId()).frame().getObjects()
                            .stream().filter(o -> o.getObjectId() == m.getObjectId()).findFirst().orElseThrow();
                    Box2d b = a.getBox();
                    int w = HandScenes.W;
                    boolean[] cover = MarkPainter.coverage(w, HandScenes.H, m);
                    int inside = 0;
                    for (int y = b.getYMin(); y <= b.getYMax(); y++) {
                        for (int x = b.getXMin(); x <= b.getXMax(); x++) {
                            inside += cover[y * w + x] ? 1 : 0;
                        }
                    }
                    if (m.getKind().equals("box")) {
                        assertEquals(0, inside, r.getQaId() + ": a box is drawn outside the object");
                    } else {
                        assertTrue(b.getXMin() <= m.getX() && m.getX() <= b.getXMax() + 1 && b.getYMin() <= m.getY()
                                && m.getY() <= b.getYMax() + 1, r.getQaId() + ": the dot is on the object");
                        assertTrue(inside <= Marking.MAX_COVER * a.getVisiblePixels() + 1,
                                r.getQaId() + ": dot covers " + inside + " of " + a.getVisiblePixels());
                    }
                    checked++;
                }
                if (QuestionTypes.STATIC.contains(r.getQuestionType()) && !r.getQuestionType().equals("counting")) {
                    assertEquals(r.getSubjects().size(), r.getMarks().size(), r.getQaId() + ": every named object marked");
                    List<String> roles = r.getSubjects().stream().map(Subject::getRole).toList();
                    assertEquals(List.of("A", "B", "C").subList(0, roles.size()), roles);
                }
            }
        }
        assertTrue(checked > 300, checked + " marks checked");
        assertEquals(Set.of("dot", "box", "cross"), kinds);
    }

    @Test
    void heldOutPhrasingOnlyOnTheTestSplitAndEveryTypeHasThreeFamiliesOrMore() {
        Map<String, Set<String>> familiesSeen = new HashMap<>();
        List<QaRecord> train = new ArrayList<>();
        List<QaRecord> test = new ArrayList<>();
        for (long seed = 0; seed < 80; seed++) {
            SceneSpec spec = SatQuestionDeriverTest.random(seed);
            train.addAll(deriver.derive(withSplit(spec, "train"), HandScenes.frames(spec)));
            test.addAll(deriver.derive(withSplit(spec, "test"), HandScenes.frames(spec)));
        }
        for (QaRecord r : train) {
            assertFalse(r.getHeldOutPhrasing(), r.getTemplate() + " on train: " + r.getQuestion());
            familiesSeen.computeIfAbsent(r.getQuestionType(), t -> new HashSet<>()).add(r.getTemplate());
        }
        assertTrue(test.stream().anyMatch(QaRecord::getHeldOutPhrasing), "held-out phrasing appears on test");
        Set<String> heldOutTemplates = new HashSet<>();
        test.stream().filter(QaRecord::getHeldOutPhrasing).forEach(r -> heldOutTemplates.add(r.getTemplate()));
        for (QaRecord r : train) {
            assertFalse(heldOutTemplates.contains(r.getTemplate()), r.getTemplate());
        }
        familiesSeen.forEach((type, families) -> {
            if (!type.equals(QuestionTypes.COUNTING)) { // the random scenes have no sets to count
                assertTrue(families.size() >= 3, type + " has " + families);
            }
        });
    }

    @Test
    void staticQuestionsAreAskedOncePerScene() {
        SceneSpec spec = new HandScenes("once").object(1, "chair", "red chair", -1.5, 0.4, -3, 0.8)
                .object(2, "table", "blue table", 1.5, 0.4, -3, 0.8).object(3, "box", "green box", 0, 0.7, -5.5, 1.4)
                .initial(pose(0, 0, 0, 15)).ego("ego_motion", 0, 0.3, 0).spec();
        Set<String> asked = new HashSet<>();
        for (QaRecord r : deriver.derive(spec, HandScenes.frames(spec))) {
            if (QuestionTypes.STATIC.contains(r.getQuestionType())) {
                List<String> ids = r.getSubjects().stream().map(x -> x.getObjectId() + x.getCategory()).sorted().toList();
                assertTrue(asked.add(r.getQuestionType() + ids), "asked twice: " + r.getQuestionType() + ids);
            }
        }
        assertFalse(asked.isEmpty());
    }
}
