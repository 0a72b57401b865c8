package dev.satflow.ops.dataset;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.frames.FrameCoordinates;
import dev.satflow.core.frames.FrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.producers.generate.GeneratorSettings;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.producers.render.RenderOptions;
import dev.satflow.producers.render.RenderWorker;
import dev.satflow.qa.SourcedFrame;
import dev.satflow.qa.questions.AnswerPriors;
import dev.satflow.qa.questions.QuestionSettings;
import dev.satflow.qa.questions.QuestionTypes;
import dev.satflow.qa.questions.SatQuestionDeriver;
import dev.satflow.schema.Frame;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import dev.satflow.trainer.ModelTrainer;
import dev.satflow.trainer.TrainerConfig;
import dev.satflow.trainer.data.TrainingExample;
import dev.satflow.trainer.model.ModelConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The model fits left/right on real rendered rooms, not only on synthetic shapes: the questions of
 * rendered scenes (named by colour and category, marked as SAT marks them), grounded on the named
 * objects' boxes. Before grounding, its training loss on left/right stayed at ln 2 for 7.7 passes.
 */
class GroundedLearningTest {
    @Test
    void fitsLeftRightOnRenderedRooms() {
        SceneGenerator generator = new SceneGenerator(new GeneratorSettings(5, 15, 10, 30, 90, 256, 256, "png", true,
                0.1, 0.1));
        SatQuestionDeriver deriver = new SatQuestionDeriver(QuestionSettings.defaults().withCaps(6, 2),
                AnswerPriors.NONE);
        List<TrainingExample> examples = new ArrayList<>();
        try (RenderWorker worker = new RenderWorker(RenderOptions.defaults())) {
            for (long seed = 900; seed < 960; seed++) {
                SceneSpec spec = generator.generate(seed);
                Map<FrameCoordinates, Frame> byCoords = new HashMap<>();
                List<SourcedFrame> sourced = new ArrayList<>();
                int k = 0;
                for (Frame f : worker.renderScene(spec)) {
                    sourced.add(new SourcedFrame(f, "satflow.frames.v1", 0, k));
                    byCoords.put(new FrameCoordinates("satflow.frames.v1", 0, k++), f);
                }
                QuestionImages images = new QuestionImages(FrameSource.of(byCoords));
                for (QaRecord q : deriver.derive(spec, sourced)) {
                    if (q.getQuestionType().equals(QuestionTypes.LEFT_RIGHT)) {
                        examples.add(TrainingExample.from(q, images.images(q)));
                    }
                }
            }
        }
        assertTrue(examples.size() >= 200, examples.size() + " left/right questions");
        Random random = new Random(5);
        double accuracy = 0;
        try (ModelTrainer trainer = ModelTrainer.create(ModelConfig.defaults(), TrainerConfig.defaults())) {
            for (int step = 0; step < 240; step++) {
                Collections.shuffle(examples, random);
                trainer.trainStep(examples.subList(0, 32));
            }
            accuracy = trainer.evaluate(examples).accuracy();
        }
        assertTrue(accuracy >= 0.8, "left/right accuracy on its " + examples.size() + " training questions: "
                + accuracy);
    }
}
