package dev.satflow.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.schema.Box2d;
import dev.satflow.schema.Mark;
import dev.satflow.trainer.ModelTrainer;
import dev.satflow.trainer.QaPredictor;
import dev.satflow.trainer.TrainerConfig;
import dev.satflow.trainer.data.Family;
import dev.satflow.trainer.data.ImageDecoder;
import dev.satflow.trainer.data.TrainingExample;
import dev.satflow.trainer.model.ModelConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoding a question's images once at the model's input size (marks drawn) and handing the model small
 * lossless PNGs changes nothing it sees: the same pixels, the same logits, the same answers.
 */
class EvalModelInputsTest {
    @TempDir
    Path dir;

    static List<TrainingExample> examples() {
        List<TrainingExample> out = new ArrayList<>();
        Mark box = Mark.newBuilder().setImage(0).setKind("box").setLabel("B").setColor("#1450e6")
                .setBox(Box2d.newBuilder().setXMin(30).setYMin(40).setXMax(90).setYMax(100).build()).build();
        Mark cross = Mark.newBuilder().setImage(1).setKind("cross").setLabel("X").setX(60).setY(50).setSize(9).build();
        for (int i = 0; i < 12; i++) {
            boolean two = i % 3 == 0;
            List<byte[]> images = new ArrayList<>(List.of(EvalFixtures.png(160 + 8 * i, 120 + 4 * i, i)));
            List<Mark> marks = new ArrayList<>();
            if (i % 2 == 0) {
                marks.add(EvalFixtures.dot("A", 20 + i, 30));
                marks.add(box);
            }
            if (two) {
                images.add(EvalFixtures.png(256, 256, 100 + i));
                marks.add(cross);
            }
            boolean counting = i % 4 == 1;
            List<String> choices = counting ? EvalFixtures.COUNTS : List.of("the red mug", "the oak table");
            // grounding (where A and B are) and the role each option names, as the model's inputs carry them
            List<TrainingExample.Grounding> grounding = counting ? List.of() : List.of(
                    new TrainingExample.Grounding(0, 0.1f, 0.2f, 0.3f, 0.5f),
                    new TrainingExample.Grounding(1, 0.5f, 0.4f, 0.9f, 0.8f));
            List<Integer> roles = counting ? List.of() : List.of(0, 1);
            out.add(new TrainingExample("q" + i, two ? Family.DYNAMIC : Family.STATIC, "t", "Which is nearer? " + i,
                    choices, i % choices.size(), images, marks, grounding, roles));
        }
        return out;
    }

    @Test
    void samePixelsAsTheAssemblerDecodes() {
        ModelInputs inputs = new ModelInputs(64);
        ImageDecoder decoder = new ImageDecoder(64);
        for (TrainingExample e : examples()) {
            TrainingExample small = inputs.shrink(e);
            assertTrue(small.marks().isEmpty());
            assertEquals(e.choices(), small.choices());
            assertEquals(e.grounding(), small.grounding());
            assertEquals(e.choiceRoles(), small.choiceRoles());
            for (int k = 0; k < e.images().size(); k++) {
                ByteBuffer a = ByteBuffer.allocate(decoder.imageBytes());
                ByteBuffer b = ByteBuffer.allocate(decoder.imageBytes());
                decoder.decodeInto(e.images().get(k), e.marks(), k, a, 0);
                decoder.decodeInto(small.images().get(k), small.marks(), k, b, 0);
                assertArrayEquals(a.array(), b.array(), e.qaId() + " image " + k);
                assertTrue(small.images().get(k).length < e.images().get(k).length);
            }
        }
    }

    @Test
    void sameLogitsFromACheckpoint() {
        Path cp = dir.resolve("step-3");
        List<TrainingExample> examples = examples();
        try (ModelTrainer trainer = ModelTrainer.create(ModelConfig.defaults(), TrainerConfig.defaults())) {
            for (int s = 0; s < 3; s++) {
                trainer.trainStep(examples);
            }
            trainer.saveCheckpoint(cp, Map.of());
        }
        List<TrainingExample> rotated = new ArrayList<>();
        try (QaPredictor p = QaPredictor.load(cp); ChoicePredictor.Loaded loaded = ChoicePredictor.load(cp)) {
            List<TrainingExample> prepared = loaded.prepare(examples);
            float[][] before = p.scores(examples);
            float[][] after = p.scores(prepared);
            for (int i = 0; i < before.length; i++) {
                assertArrayEquals(before[i], after[i], "logits of " + examples.get(i).qaId());
            }
            for (int i = 0; i < examples.size(); i++) {
                for (int k = 0; k < examples.get(i).choices().size(); k++) {
                    rotated.add(Rotations.rotate(prepared.get(i), k));
                }
            }
            assertArrayEquals(p.predict(examples), loaded.predict(prepared));
            assertEquals(rotated.size(), loaded.predict(rotated).length);
        }
    }
}
