package dev.satflow.evaluator.blind;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.schema.QaRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 20k training records, both featurizers, in a few seconds. */
class BlindBaselineSpeedTest {
    @Test
    void trainsTwentyThousandRecordsQuickly() {
        List<QaRecord> all = BlindSynth.textDecided(30_000, 9, false);
        List<QaRecord> train = BlindSynth.ofSplit(all, "train");
        List<QaRecord> test = BlindSynth.ofSplit(all, "test");
        BlindBaseline.evaluate(train.subList(0, 2000), test.subList(0, 500), 1); // warm-up
        long t0 = System.nanoTime();
        BlindBaseline text = BlindBaseline.train(train, Featurizer.TEXT, 1);
        long t1 = System.nanoTime();
        BlindBaseline category = BlindBaseline.train(train, Featurizer.CATEGORY, 1);
        long t2 = System.nanoTime();
        BlindBaseline.Report r = BlindBaseline.score(text, category, test);
        long t3 = System.nanoTime();
        long s0 = System.nanoTime();
        DatasetStats stats = DatasetStats.of(all);
        long s1 = System.nanoTime();
        System.out.printf("speed: %d train records: text %.2f s, category %.2f s; scoring %d test records %.2f s; "
                + "stats over %d records %.2f s%n", train.size(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, test.size(),
                (t3 - t2) / 1e9, all.size(), (s1 - s0) / 1e9);
        assertTrue(train.size() == 20_000);
        assertTrue(r.all().blind() > 0.95 && stats.all().count() == 30_000);
        assertTrue((t3 - t0) / 1e9 < 30, "both models on 20k records took " + (t3 - t0) / 1e9 + " s");
    }
}
