package dev.satflow.evaluator.blind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.satflow.schema.QaRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlindBaselineTest {

    private static BlindBaseline.Report evaluate(List<QaRecord> all, long seed) {
        return BlindBaseline.evaluate(BlindSynth.ofSplit(all, "train"), BlindSynth.ofSplit(all, "test"), seed);
    }

    @Test
    void findsAnswersTheTextDecides() {
        BlindBaseline.Report r = evaluate(BlindSynth.textDecided(6000, 1, false), 7);
        System.out.println("text decides:\n" + r);
        assertTrue(r.all().n() >= 1900, "test records: " + r.all().n());
        for (BlindBaseline.TypeResult t : r.types().values()) {
            assertTrue(t.blind() >= 0.95, t.type() + ": blind " + t.blind());
            assertTrue(t.blindCategory() >= 0.95, t.type() + ": blind_category " + t.blindCategory());
        }
        assertEquals(3, r.types().size());
        assertEquals(r.all().n(), r.types().values().stream().mapToInt(BlindBaseline.TypeResult::n).sum());
    }

    @Test
    void staysAtChanceWhenTheTextDoesNotDecide() {
        BlindBaseline.Report r = evaluate(BlindSynth.textDecided(6000, 2, true), 7);
        System.out.println("random labels:\n" + r);
        assertTrue(r.all().n() >= 1000);
        assertEquals(r.all().chance(), r.all().blind(), 0.07, "blind");
        assertEquals(r.all().chance(), r.all().blindCategory(), 0.07, "blind_category");
        // chance: 2, 2 and 4 options -> (0.5 + 0.5 + 0.25) / 3
        assertEquals((0.5 + 0.5 + 0.25) / 3, r.all().chance(), 0.01);
    }

    @Test
    void findsAPositionBias() {
        BlindBaseline.Report r = evaluate(BlindSynth.positionBiased(4500, 3, 0.7), 7);
        System.out.println("position bias:\n" + r);
        // The answer sits first 0.7 + 0.3 / 4 = 0.775 of the time; chance is 0.25.
        assertEquals(0.25, r.all().chance(), 1e-9);
        assertTrue(r.all().blind() >= 0.72, "blind " + r.all().blind());
        assertTrue(r.all().blindCategory() >= 0.72, "blind_category " + r.all().blindCategory());
    }

    @Test
    void onlyTheCategoryModelSeesCategoriesTheTextDoesNotName() {
        BlindBaseline.Report r = evaluate(BlindSynth.categoryDecided(4500, 4, false), 7);
        System.out.println("categories only in subjects:\n" + r);
        assertTrue(r.all().n() >= 1000);
        assertTrue(r.all().blindCategory() >= 0.95, "blind_category " + r.all().blindCategory());
        assertEquals(0.5, r.all().blind(), 0.07, "the text names no category: blind at chance");
    }

    @Test
    void theCategoryModelSeesCategoriesUnderRandomColours() {
        BlindBaseline.Report r = evaluate(BlindSynth.categoryDecided(4500, 5, true), 7);
        System.out.println("categories under colour words:\n" + r);
        assertTrue(r.all().blindCategory() >= 0.95, "blind_category " + r.all().blindCategory());
        // The text model may find it through the category words; it must at least not fall below chance.
        assertTrue(r.all().blind() >= 0.45, "blind " + r.all().blind());
    }

    @Test
    void sameSeedSamePredictions() {
        List<QaRecord> all = BlindSynth.textDecided(1500, 6, true);
        List<QaRecord> train = BlindSynth.ofSplit(all, "train");
        List<QaRecord> test = BlindSynth.ofSplit(all, "test");
        for (Featurizer f : List.of(Featurizer.TEXT, Featurizer.CATEGORY)) {
            BlindBaseline a = BlindBaseline.train(train, f, 11);
            BlindBaseline b = BlindBaseline.train(train, f, 11);
            for (QaRecord r : test) {
                assertEquals(a.predict(r), b.predict(r));
                assertArrayEquals(a.scores(r), b.scores(r), 0.0);
            }
        }
        assertEquals(evaluate(all, 3).toString(), evaluate(all, 3).toString());
    }

    @Test
    void normalisesSubjectDescriptionsToRoleTokens() {
        QaRecord r = BlindSynth.record("q", "s", "train", "relative_depth", "relative_depth/sat",
                "Which is closer, the small red mug or the red mug?", List.of("The small red mug", "the red mug",
                        "the red mugs"), 0,
                List.of(BlindSynth.subject(1, "mug", "red mug", "B"), BlindSynth.subject(2, "mug", "small red mug",
                        "A")));
        QaText.Named[] byLength = QaText.forReplacement(QaText.subjects(r));
        assertEquals("the <A>", QaText.normalise("The small red mug", byLength));
        assertEquals("the <B>", QaText.normalise("the red mug", byLength));
        assertEquals("the red mugs", QaText.normalise("the red mugs", byLength), "whole words only");
        assertEquals("which is closer, the <A> or the <B>?", QaText.normalise(r.getQuestion(), byLength));
        assertEquals(List.of("which", "is", "closer", "the", "<a>", "or", "the", "<b>"),
                QaText.tokens("which is closer, the <A> or the <B>?"));
        assertEquals("A", QaText.subjects(r).get(0).role(), "role order");
    }

    @Test
    void countedInstancesAreTheAnswerAndNoBlindModelSeesThem() {
        List<dev.satflow.schema.Subject> subjects = List.of(BlindSynth.subject(0, "mug", "mug", "category"),
                BlindSynth.subject(4, "mug", "red mug", "counted"), BlindSynth.subject(5, "mug", "blue mug", "counted"));
        QaRecord r = BlindSynth.record("q", "s", "train", "counting", "counting/sat", "How many mugs are visible?",
                List.of("0", "1", "2", "3", "4"), 2, subjects);
        assertEquals(List.of("category"), QaText.subjects(r).stream().map(QaText.Named::role).toList());
        QaRecord without = QaRecord.newBuilder(r).setSubjects(subjects.subList(0, 1)).build();
        FeatureHasher hasher = new FeatureHasher(7, 16);
        for (Featurizer f : List.of(Featurizer.TEXT, Featurizer.CATEGORY)) {
            assertArrayEquals(f.features(without, hasher), f.features(r, hasher),
                    f.name() + ": the same features with or without the instances");
        }
    }

    @Test
    void rejectsACorrectIndexOutsideTheChoices() {
        QaRecord bad = QaRecord.newBuilder(BlindSynth.textDecided(1, 1, false).get(0)).setCorrectIndex(5).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlindBaseline.train(List.of(bad), Featurizer.TEXT, 1));
        assertTrue(e.getMessage().contains("correctIndex"), e.getMessage());
    }
}
