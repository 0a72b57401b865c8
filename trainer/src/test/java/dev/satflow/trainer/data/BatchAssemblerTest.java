package dev.satflow.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.satflow.trainer.model.ModelConfig;
import dev.satflow.trainer.model.SpatialQaModel;
import dev.satflow.trainer.synth.SyntheticSpatialTasks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchAssemblerTest {

    private final ModelConfig config = ModelConfig.defaults();
    private final SyntheticSpatialTasks tasks = new SyntheticSpatialTasks(64, 5);
    private NDManager manager;
    private BatchAssembler assembler;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
        assembler = new BatchAssembler(config, new TextEncoder(config), 2);
    }

    @AfterEach
    void close() {
        assembler.close();
        manager.close();
    }

    @Test
    void laysOutImagesTokensMasksAndLabels() {
        TrainingExample oneImage = tasks.leftRight();
        TrainingExample twoImages = tasks.moved();
        TrainingExample fiveChoices = tasks.colour(5);
        AssembledBatch batch = assembler.assemble(List.of(oneImage, twoImages, fiveChoices), manager);
        NDList in = batch.inputs();

        assertEquals(3, batch.size());
        assertEquals(1, batch.twoImageExamples());
        // Three first views, then the one second view; the CNN never sees a placeholder image.
        assertEquals(new Shape(4, 3, 64, 64), in.get(SpatialQaModel.IN_IMAGES).getShape());
        assertEquals(DataType.FLOAT32, in.get(SpatialQaModel.IN_IMAGES).getDataType());
        float[] pixels = in.get(SpatialQaModel.IN_IMAGES).toFloatArray();
        for (float v : pixels) {
            assertTrue(v >= 0 && v <= 1);
        }
        // Row 4 is the model's "no second view" row.
        assertArrayEquals(new long[] {4, 3, 4}, in.get(SpatialQaModel.IN_SECOND_INDEX).toLongArray());
        assertArrayEquals(new float[] {0, 1, 0}, in.get(SpatialQaModel.IN_HAS_SECOND).toFloatArray());

        assertEquals(new Shape(3, config.maxQuestionTokens()), in.get(SpatialQaModel.IN_QUESTION).getShape());
        TextEncoder text = new TextEncoder(config);
        long[] questions = in.get(SpatialQaModel.IN_QUESTION).toLongArray();
        long[] expected = text.encodeQuestion(twoImages.question());
        for (int t = 0; t < expected.length; t++) {
            assertEquals(expected[t], questions[config.maxQuestionTokens() + t]);
        }

        assertEquals(new Shape(3, 5, config.maxChoiceTokens()), in.get(SpatialQaModel.IN_CHOICES).getShape());
        long[] choices = in.get(SpatialQaModel.IN_CHOICES).toLongArray();
        int lc = config.maxChoiceTokens();
        assertEquals(text.tokenId(oneImage.choices().get(1)), choices[lc]);
        for (int i = 2 * lc; i < 5 * lc; i++) {
            assertEquals(TextEncoder.PAD, choices[i], "padded choice slots hold only padding");
        }
        boolean[] mask = in.get(SpatialQaModel.IN_CHOICE_MASK).toBooleanArray();
        assertArrayEquals(new boolean[] {true, true, false, false, false, true, true, false, false, false,
            true, true, true, true, true}, mask);
        assertArrayEquals(new long[] {oneImage.correctIndex(), twoImages.correctIndex(), fiveChoices.correctIndex()},
                batch.labels().toLongArray());
    }

    @Test
    void countingExamplesCarryTheNumbersTheirChoicesStateAndADensityThatSumsToTheCount() {
        List<TrainingExample> examples = new ArrayList<>();
        while (examples.size() < 6) {
            examples.add(tasks.counting());
        }
        examples.add(tasks.leftRight());
        AssembledBatch batch = assembler.assemble(examples, manager);
        float[] numbers = batch.inputs().get(SpatialQaModel.IN_CHOICE_NUMBER).toFloatArray();
        int c = config.maxChoices();
        int cells = config.gridSize() * config.gridSize();
        float[] density = batch.countDensity().toFloatArray();
        float[] counts = batch.counts().toFloatArray();
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(new float[] {0, 1, 2, 3, 4}, java.util.Arrays.copyOfRange(numbers, i * c, i * c + c));
            assertEquals(examples.get(i).correctIndex(), counts[i], "the count is the answer");
            double sum = 0;
            for (int k = 0; k < cells; k++) {
                sum += density[i * cells + k];
            }
            assertEquals(counts[i], sum, 1e-4, "each counted shape adds one to the density");
        }
        float none = BatchAssembler.NOT_A_NUMBER;
        assertArrayEquals(new float[] {none, none, none, none, none}, java.util.Arrays.copyOfRange(numbers, 6 * c, 7 * c),
                "'left' and 'right' state no number; padded slots neither");
        assertEquals(-1f, counts[6], "nothing to count in a left/right question");
        assertEquals(0f, BatchAssembler.number("0"));
        assertEquals(12f, BatchAssembler.number(" 12 "));
        assertEquals(none, BatchAssembler.number("3 chairs"));
        assertEquals(none, BatchAssembler.number("-1"));
    }

    @Test
    void cachedImagesAreTheDecodedOnesAndTheCacheStaysWithinItsBytes() {
        List<TrainingExample> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(i % 2 == 0 ? tasks.moved() : tasks.leftRight()); // 9 images
        }
        int imageBytes = 3 * config.imageSize() * config.imageSize();
        // room for 4 of the 9 images: most of every pass misses, and what is kept must still be right
        try (BatchAssembler cached = new BatchAssembler(config, new TextEncoder(config), 2, 4L * imageBytes + 7)) {
            for (int pass = 0; pass < 3; pass++) {
                for (int from = 0; from < all.size(); from += 2) {
                    List<TrainingExample> batch = all.subList(from, from + 2);
                    assertArrayEquals(assembler.assemble(batch, manager).inputs().get(SpatialQaModel.IN_IMAGES)
                            .toFloatArray(), cached.assemble(batch, manager).inputs().get(SpatialQaModel.IN_IMAGES)
                            .toFloatArray(), "pass " + pass + ", examples " + from + "..");
                }
            }
            assertEquals(27, cached.cacheHits() + cached.cacheMisses());
            assertTrue(cached.cacheHits() > 0, "some images came from the cache");
            assertTrue(cached.cacheMisses() > 9, "no more than 4 images fit: later passes miss too");
        }
        try (BatchAssembler roomy = new BatchAssembler(config, new TextEncoder(config), 2, 64L * imageBytes)) {
            for (int pass = 0; pass < 3; pass++) {
                roomy.assemble(all, manager);
            }
            assertEquals(9, roomy.cacheMisses(), "decoded once");
            assertEquals(18, roomy.cacheHits());
        }
        assertEquals(0, assembler.cacheHits() + assembler.cacheMisses(), "no cache unless asked for");
    }

    @Test
    void earlierBatchesSurviveTheReuseOfStagingBuffers() {
        List<TrainingExample> a = List.of(tasks.moved(), tasks.leftRight());
        AssembledBatch first = assembler.assemble(a, manager);
        float[] imagesBefore = first.inputs().get(SpatialQaModel.IN_IMAGES).toFloatArray();
        long[] questionBefore = first.inputs().get(SpatialQaModel.IN_QUESTION).toLongArray();

        List<TrainingExample> b = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            b.add(tasks.colour(3));
        }
        assembler.assemble(b, manager);

        assertArrayEquals(imagesBefore, first.inputs().get(SpatialQaModel.IN_IMAGES).toFloatArray());
        assertArrayEquals(questionBefore, first.inputs().get(SpatialQaModel.IN_QUESTION).toLongArray());
    }

    @Test
    void namesTheExampleThatCannotBeAssembled() {
        TrainingExample tooMany = tasks.colour(6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> assembler.assemble(List.of(tasks.leftRight(), tooMany), manager));
        assertTrue(e.getMessage().contains(tooMany.qaId()), e.getMessage());

        TrainingExample broken = new TrainingExample("broken-1", Family.STATIC, "t", "q", List.of("a", "b"), 0,
                List.of(new byte[] {1, 2, 3}));
        List<TrainingExample> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(tasks.leftRight());
        }
        batch.add(broken); // lands in the second decode thread's share
        e = assertThrows(IllegalArgumentException.class, () -> assembler.assemble(batch, manager));
        assertTrue(e.getMessage().contains("broken-1"), e.getMessage());
    }
}
