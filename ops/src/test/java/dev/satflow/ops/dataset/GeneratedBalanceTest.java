package dev.satflow.ops.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.evaluator.blind.BlindBaseline;
import dev.satflow.evaluator.blind.DatasetReport;
import dev.satflow.producers.generate.GeneratorSettings;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.qa.questions.QuestionTypes;
import dev.satflow.qa.questions.SatQuestionDeriver;
import dev.satflow.schema.QaRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Answer balance over 600 generated and rendered scenes with the shipped deriver and prior table:
 * every type appears; counting spreads over 0-4 with no value above 40 %; no option is right much
 * more or less than half the times it is offered; correct positions are spread; and question-only
 * models (cross-validated by scene) stay near chance for every type.
 */
class GeneratedBalanceTest {
    private static final List<QaRecord> ALL = new ArrayList<>();

    @BeforeAll
    static void derive() {
        SceneGenerator generator = new SceneGenerator(new GeneratorSettings(5, 15, 10, 30, 90, 128, 128, "png", true,
                0.1, 0.1));
        OfflineQuestions.derive(generator, 5000, 600, SatQuestionDeriver.standard(), ALL::add, n -> { });
    }

    @Test
    void everyTypeAppearsAndCountingSpreadsOverZeroToFour() {
        Map<String, Integer> types = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (QaRecord q : ALL) {
            types.merge(q.getQuestionType(), 1, Integer::sum);
            if (q.getQuestionType().equals(QuestionTypes.COUNTING)) {
                counts.merge(q.getCorrectAnswer(), 1, Integer::sum);
                assertEquals(List.of("0", "1", "2", "3", "4"), q.getChoices().stream().sorted().toList());
            }
        }
        List<String> every = new ArrayList<>(QuestionTypes.STATIC);
        every.addAll(QuestionTypes.DYNAMIC);
        assertEquals(new java.util.TreeSet<>(every), types.keySet(), "all 12 types: " + types);
        assertEquals(List.of("0", "1", "2", "3", "4"), List.copyOf(counts.keySet()), "counts 0-4: " + counts);
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        counts.forEach((n, c) -> assertTrue(c <= 0.4 * total, "count " + n + " is " + c + " of " + total));
    }

    @Test
    void noOptionIsRightMuchMoreOrLessThanHalfTheTimesItIsOffered() {
        Map<String, int[]> offered = new HashMap<>(); // type|option -> {offered, right}
        Map<String, int[]> positions = new HashMap<>();
        for (QaRecord q : ALL) {
            if (q.getChoices().size() != 2) {
                continue;
            }
            for (int i = 0; i < 2; i++) {
                int[] c = offered.computeIfAbsent(q.getQuestionType() + "|" + q.getChoices().get(i), k -> new int[2]);
                c[0]++;
                c[1] += i == q.getCorrectIndex() ? 1 : 0;
            }
            int[] p = positions.computeIfAbsent(q.getQuestionType(), k -> new int[2]);
            p[0]++;
            p[1] += q.getCorrectIndex();
        }
        int checked = 0;
        for (Map.Entry<String, int[]> e : offered.entrySet()) {
            int[] c = e.getValue();
            if (c[0] >= 80) {
                double rate = c[1] / (double) c[0];
                assertTrue(rate > 0.35 && rate < 0.65, e.getKey() + " right " + c[1] + " of " + c[0] + " times offered");
                checked++;
            }
        }
        assertTrue(checked >= 20, checked + " options offered often enough to check");
        positions.forEach((type, p) -> {
            double second = p[1] / (double) p[0];
            assertTrue(Math.abs(second - 0.5) < 0.06, type + ": correct option second in " + second);
        });
    }

    @Test
    void questionOnlyModelsStayNearChance() {
        BlindBaseline.Report cv = DatasetReport.crossValidated(ALL, 1);
        cv.types().forEach((type, r) -> {
            // 95 % noise band of an accuracy at chance over r.n() questions, plus two points
            double band = 1.96 * Math.sqrt(0.25 / r.n()) + 0.02;
            assertTrue(r.blind() <= r.chance() + band && r.blindCategory() <= r.chance() + band,
                    type + ": blind " + r.blind() + ", with categories " + r.blindCategory() + ", chance " + r.chance()
                            + " over " + r.n() + " (allowed " + band + ")");
        });
        assertTrue(cv.all().blind() < cv.all().chance() + 0.02, "over all types: " + cv.all());
    }
}
