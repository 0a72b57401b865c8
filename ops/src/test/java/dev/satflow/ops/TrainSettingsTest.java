package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.config.ConfigException;
import dev.satflow.core.config.SatflowSettings;
import dev.satflow.ops.stages.Stages;
import dev.satflow.qa.questions.QuestionTypes;
import dev.satflow.trainer.data.Family;
import dev.satflow.trainer.data.QuestionCatalog;
import dev.satflow.trainer.plan.MixingPlan;
import dev.satflow.trainer.stream.TrainerService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train.* settings to the trainer's: the plan file, its overrides, buffers and reservoir. */
class TrainSettingsTest {
    @TempDir
    Path dir;

    @Test
    void theTrainersQuestionCatalogIsTheQaProcessors() {
        assertEquals(QuestionTypes.STATIC, QuestionCatalog.STATIC);
        assertEquals(QuestionTypes.DYNAMIC, QuestionCatalog.DYNAMIC);
    }

    @Test
    void defaultsUseTheBuiltInPlan() {
        TrainerService.Settings s = Stages.train(SatflowSettings.load(null, Map.of()), "localhost:9092");
        assertEquals(MixingPlan.defaultPlan(), s.mix().plan());
        assertEquals(512, s.mix().bufferPerType());
        assertEquals(256, s.mix().reservoir());
        assertEquals(32, s.mix().batchSize());
        assertEquals(5000, s.linger().toMillis());
        assertTrue(s.exampleLog());
    }

    @Test
    void aPlanFileAndTheDynamicShareOverride() throws Exception {
        Path plan = dir.resolve("plan.yml");
        Files.writeString(plan, "stages:\n  - weights: {left_right: 1, goal_aim: 3}\n");
        Map<String, Object> flags = new HashMap<>();
        flags.put("train.plan", plan);
        flags.put("train.reservoir", 0);
        TrainerService.Settings s = Stages.train(SatflowSettings.load(null, flags), "x:1");
        assertEquals(0.75, s.mix().plan().stage(0).weight("goal_aim"), 1e-9);
        assertEquals(0, s.mix().reservoir());
        flags.put("train.dynamic-fraction", 0.5);
        s = Stages.train(SatflowSettings.load(null, flags), "x:1");
        assertEquals(0.5, s.mix().plan().stage(0).familyShare(Family.DYNAMIC), 1e-9);
    }

    @Test
    void aBadPlanIsAConfigurationErrorNamingTheSettingAndTheMistake() throws Exception {
        Path plan = dir.resolve("plan.json");
        Files.writeString(plan, "{\"stages\": [{\"weights\": {\"left_right\": 1}, \"rehersal\": 0.1}]}");
        Map<String, Object> flags = new HashMap<>();
        flags.put("train.plan", plan);
        ConfigException e = assertThrows(ConfigException.class,
                () -> Stages.train(SatflowSettings.load(null, flags), "x:1"));
        assertTrue(e.getMessage().contains("train.plan") && e.getMessage().contains("unknown field 'rehersal'")
                && e.getMessage().contains("flag --plan"), e.getMessage());
        flags.put("train.plan", dir.resolve("missing.json"));
        assertTrue(assertThrows(ConfigException.class, () -> Stages.train(SatflowSettings.load(null, flags), "x:1"))
                .getMessage().contains("does not exist"));
    }
}
