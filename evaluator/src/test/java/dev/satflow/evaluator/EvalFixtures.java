package dev.satflow.evaluator;

import dev.satflow.core.frames.FrameCoordinates;
import dev.satflow.schema.CameraPose;
import dev.satflow.schema.Frame;
import dev.satflow.schema.FrameRef;
import dev.satflow.schema.Intrinsics;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.Mark;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.Vec3;
import dev.satflow.trainer.data.TrainingExample;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/** Hand-built questions, frames and predictors for the evaluator tests. */
final class EvalFixtures {
    static final String FRAMES = "satflow.frames.v1";
    static final List<String> LEFT_RIGHT = List.of("left", "right");
    static final List<String> COUNTS = List.of("0", "1", "2", "3", "4");

    private EvalFixtures() {}

    /** A small real PNG (a colour gradient, different per seed). */
    static byte[] png(int size, int seed) {
        return png(size, size, seed);
    }

    static byte[] png(int width, int height, int seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(seed);
        int base = rnd.nextInt(0xffffff);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, base ^ (x * 4 << 16 | y * 4 << 8 | (x + y) * 2));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Frame frame(String sceneId, String viewId, byte[] image) {
        return Frame.newBuilder().setSceneId(sceneId).setViewId(viewId).setRole("static")
                .setCamera(CameraPose.newBuilder().setPosition(new Vec3(0f, 1.5f, 0f)).build())
                .setIntrinsics(Intrinsics.newBuilder().setWidth(32).setHeight(32).build()).setImageFormat("png")
                .setImage(ByteBuffer.wrap(image)).build();
    }

    static FrameRef ref(String viewId, int partition, long offset) {
        return FrameRef.newBuilder().setViewId(viewId).setTopic(FRAMES).setPartition(partition).setOffset(offset)
                .build();
    }

    static Mark dot(String label, float x, float y) {
        return Mark.newBuilder().setImage(0).setKind("dot").setLabel(label).setX(x).setY(y).setSize(3).build();
    }

    static QaRecord question(String qaId, String sceneId, String split, String type, List<String> choices,
            int correct, boolean heldOutPhrasing, List<FrameRef> frames, List<Mark> marks) {
        return QaRecord.newBuilder().setQaId(qaId).setSceneId(sceneId).setSplit(split)
                .setFamily("static").setQuestionType(type)
                .setQuestion("Is the red mug (marked A) to the left or right of the oak table? " + qaId)
                .setChoices(choices).setCorrectIndex(correct).setCorrectAnswer(choices.get(correct))
                .setTemplate(type + (heldOutPhrasing ? "/lower" : "/sat")).setHeldOutPhrasing(heldOutPhrasing)
                .setFrames(frames).setMarks(marks).setLineage(Lineage.newBuilder().build()).build();
    }

    /** A hand-built test set and the frames it references (one frame per scene, in memory). */
    record Set(List<QaRecord> questions, Map<FrameCoordinates, Frame> frames) {}

    /**
     * {@code leftRight} two-option and {@code counting} five-option questions over {@code scenes} scenes; the
     * right answer's position cycles, every third question is in a held-out phrasing.
     */
    static Set handBuilt(int leftRight, int counting, int scenes) {
        Map<FrameCoordinates, Frame> frames = new HashMap<>();
        for (int s = 0; s < scenes; s++) {
            frames.put(new FrameCoordinates(FRAMES, s % 3, s), frame("scene-" + s, "scene-" + s + "/v0", png(24, s)));
        }
        List<QaRecord> qs = new ArrayList<>();
        Random rnd = new Random(42);
        for (int i = 0; i < leftRight + counting; i++) {
            int s = i % scenes;
            boolean lr = i < leftRight;
            List<String> choices = new ArrayList<>(lr ? LEFT_RIGHT : COUNTS);
            // options in any order, the answer drawn independently of it
            java.util.Collections.shuffle(choices, rnd);
            int correct = rnd.nextInt(choices.size());
            qs.add(question("q" + i, "scene-" + s, "test", lr ? "left_right" : "counting", choices, correct,
                    i % 3 == 0, List.of(ref("scene-" + s + "/v0", s % 3, s)),
                    i % 2 == 0 ? List.of(dot("A", 8, 8)) : List.of()));
        }
        return new Set(qs, frames);
    }

    static final ChoicePredictor FIRST = examples -> new int[examples.size()];

    static final ChoicePredictor PERFECT = examples -> examples.stream().mapToInt(TrainingExample::correctIndex)
            .toArray();

    /** Answers by option text: "left" where offered, else "2", else the first option. */
    static final ChoicePredictor BY_TEXT = examples -> examples.stream().mapToInt(e -> {
        int left = e.choices().indexOf("left");
        int two = e.choices().indexOf("2");
        return left >= 0 ? left : Math.max(two, 0);
    }).toArray();
}
