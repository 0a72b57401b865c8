package dev.satflow.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.frames.FrameCoordinates;
import dev.satflow.core.frames.FrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.schema.CameraPose;
import dev.satflow.schema.Frame;
import dev.satflow.schema.FrameRef;
import dev.satflow.schema.Intrinsics;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.Mark;
import dev.satflow.schema.QaImage;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.Vec3;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** QA records to training examples: images resolved from frame references (and inline, for satflow-qa/1). */
class TrainingExampleTest {

    // the PNG signature and one byte: enough for the format check, never decoded here
    private static final byte[] PNG_A = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1};
    private static final byte[] PNG_B = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 2};
    private static final String TOPIC = "satflow.frames.v1";

    private final Map<FrameCoordinates, Frame> frames = new HashMap<>();
    private final QuestionImages images = new QuestionImages(FrameSource.of(frames));

    private FrameRef frame(String view, long offset, String format, byte[] bytes) {
        frames.put(new FrameCoordinates(TOPIC, 3, offset), Frame.newBuilder().setSceneId("scene-1").setViewId(view)
                .setCamera(CameraPose.newBuilder().setPosition(new Vec3(0f, 1.5f, 0f)).build())
                .setIntrinsics(Intrinsics.newBuilder().build()).setImageFormat(format)
                .setImage(ByteBuffer.wrap(bytes)).build());
        return new FrameRef(view, TOPIC, 3, offset);
    }

    private TrainingExample convert(QaRecord r) {
        return TrainingExample.from(r, images.images(r));
    }

    @Test
    void convertsAQaRecordWithFrameReferencesAndMarks() {
        Mark dot = Mark.newBuilder().setImage(1).setLabel("1").setX(3).setY(4).setSize(2).setObjectId(7).build();
        QaRecord record = record("dynamic", List.of("left", "right", "no movement"), 2,
                List.of(frame("scene-1/v0", 10, "png", PNG_A), frame("scene-1/v1", 11, "png", PNG_B)), List.of(dot));

        TrainingExample example = convert(record);

        assertEquals("qa-1", example.qaId());
        assertEquals(Family.DYNAMIC, example.family());
        assertEquals("object_movement", example.questionType());
        assertEquals("Did the chair move left or right?", example.question());
        assertEquals(List.of("left", "right", "no movement"), example.choices());
        assertEquals(2, example.correctIndex());
        assertTrue(example.hasSecondImage());
        assertArrayEquals(PNG_A, example.images().get(0));
        assertArrayEquals(PNG_B, example.images().get(1));
        assertEquals(List.of(), example.marksOn(0));
        assertEquals(List.of(dot), example.marksOn(1));
    }

    @Test
    void namedObjectsBecomeGroundingTargetsAndChoicesKnowWhomTheyName() {
        FrameRef ref = frame("scene-1/v0", 40, "png", PNG_A);
        Frame f = frames.get(new FrameCoordinates(TOPIC, 3, 40));
        frames.put(new FrameCoordinates(TOPIC, 3, 40), Frame.newBuilder(f)
                .setIntrinsics(Intrinsics.newBuilder().setWidth(200).setHeight(100).build())
                .setObjects(List.of(
                        dev.satflow.schema.ObjectAnnotation.newBuilder().setObjectId(7).setVisiblePixels(50)
                                .setBox(new dev.satflow.schema.Box2d(20, 10, 59, 29)).setMeanDepth(2.5f).build(),
                        dev.satflow.schema.ObjectAnnotation.newBuilder().setObjectId(9).setVisiblePixels(0)
                                .setBox(null).build()))
                .build());
        QaRecord r = QaRecord.newBuilder(record("static", List.of("oak table", "red mug"), 1, List.of(ref), List.of()))
                .setSubjects(List.of(
                        new dev.satflow.schema.Subject(7, "mug", "red mug", "A"),
                        new dev.satflow.schema.Subject(9, "table", "oak table", "B")))
                .build();
        TrainingExample e = convert(r);
        assertEquals(List.of(new TrainingExample.Grounding(0, 0.1f, 0.1f, 0.3f, 0.3f, 0.25f)), e.grounding(),
                "A's box as fractions of the 200x100 frame and its 2.5 m depth over 10 m; B is not visible, so it "
                        + "has none");
        assertEquals(List.of(1, 0), e.choiceRoles(), "'oak table' names B, 'red mug' names A");
    }

    @Test
    void countedInstancesBecomeTheCountingHeadsTargetsAndNeverAChoiceRole() {
        FrameRef ref = frame("scene-1/v0", 41, "png", PNG_A);
        Frame f = frames.get(new FrameCoordinates(TOPIC, 3, 41));
        frames.put(new FrameCoordinates(TOPIC, 3, 41), Frame.newBuilder(f)
                .setIntrinsics(Intrinsics.newBuilder().setWidth(100).setHeight(100).build())
                .setObjects(List.of(
                        dev.satflow.schema.ObjectAnnotation.newBuilder().setObjectId(3).setVisiblePixels(40)
                                .setBox(new dev.satflow.schema.Box2d(0, 0, 9, 9)).setMeanDepth(2f).build(),
                        dev.satflow.schema.ObjectAnnotation.newBuilder().setObjectId(4).setVisiblePixels(40)
                                .setBox(new dev.satflow.schema.Box2d(50, 50, 59, 59)).setMeanDepth(3f).build()))
                .build());
        List<dev.satflow.schema.Subject> subjects = List.of(
                new dev.satflow.schema.Subject(0, "mug", "mug", "category"),
                new dev.satflow.schema.Subject(3, "mug", "red mug", "counted"),
                new dev.satflow.schema.Subject(4, "mug", "blue mug", "counted"));
        QaRecord two = QaRecord.newBuilder(record("static", List.of("0", "1", "2", "3", "4"), 2, List.of(ref),
                List.of())).setQuestionType("counting").setSubjects(subjects).build();
        TrainingExample e = convert(two);
        assertEquals(List.of(new TrainingExample.Grounding(TrainingExample.Grounding.COUNTED, 0f, 0f, 0.1f, 0.1f, 0.2f),
                new TrainingExample.Grounding(TrainingExample.Grounding.COUNTED, 0.5f, 0.5f, 0.6f, 0.6f, 0.3f)),
                e.grounding());
        assertEquals(2, e.countTarget(), "two counted instances, answer 2");
        assertEquals(List.of(-1, -1, -1, -1, -1), e.choiceRoles(), "a number names no object");

        QaRecord wrong = QaRecord.newBuilder(two).setCorrectIndex(3).build();
        assertEquals(-1, convert(wrong).countTarget(), "instances that disagree with the answer teach nothing");
        QaRecord legacy = QaRecord.newBuilder(two).setSubjects(subjects.subList(0, 1)).setCorrectIndex(0).build();
        assertEquals(0, convert(legacy).countTarget(), "answer 0 needs no instances");
        QaRecord notCounting = QaRecord.newBuilder(two).setQuestionType("left_right").build();
        assertEquals(-1, convert(notCounting).countTarget());
    }

    @Test
    void theXsDepthIsWhereItsPixelsRayMeetsTheFloor() {
        CameraPose pose = CameraPose.newBuilder().setPosition(new Vec3(0f, 1.5f, 0f)).setYawDeg(20f).setPitchDeg(30f)
                .setFovDeg(90f).build();
        frame("scene-1/v0", 40, "png", PNG_A);
        Frame f = Frame.newBuilder(frames.get(new FrameCoordinates(TOPIC, 3, 40))).setCamera(pose)
                .setIntrinsics(Intrinsics.newBuilder().setWidth(512).setHeight(512).build()).build();
        dev.satflow.core.geom.Camera cam = dev.satflow.core.geom.Camera.of(pose, 512, 512);
        dev.satflow.core.geom.Vec3d ahead = new dev.satflow.core.geom.Vec3d(cam.forward().x(), 0, cam.forward().z())
                .times(1 / Math.hypot(cam.forward().x(), cam.forward().z()));
        for (double[] p : new double[][] {{0.7, 2.5}, {-1.2, 4.0}, {2.0, 3.0}}) { // (sideways, ahead) on the floor
            // the second path: project a floor point forward, and the ray of its pixel must find its depth
            dev.satflow.core.geom.Vec3d onFloor = cam.right().times(p[0]).plus(ahead.times(p[1]));
            dev.satflow.core.geom.Camera.Pixel px = cam.project(new dev.satflow.core.geom.Vec3d(onFloor.x(), 0,
                    onFloor.z()));
            assertEquals(px.depth() / 10, TrainingExample.floorDepth(f, px.u(), px.v()), 1e-4, "floor point " + p[0]
                    + ", " + p[1]);
        }
        assertEquals(TrainingExample.Grounding.UNKNOWN_DEPTH, TrainingExample.floorDepth(f, 256, 0),
                "the top row looks above the horizon at 30 degrees down and 90 degrees of view");
    }

    @Test
    void legacyInlineImagesStillConvert() {
        ByteBuffer first = ByteBuffer.wrap(PNG_A);
        QaRecord record = QaRecord.newBuilder(record("static", List.of("yes", "no"), 0, List.of(), List.of()))
                .setImages(List.of(new QaImage("v0", "png", first))).build();
        TrainingExample example = convert(record);
        assertEquals(Family.STATIC, example.family());
        assertFalse(example.hasSecondImage());
        assertArrayEquals(PNG_A, example.images().get(0));
        assertEquals(0, first.position(), "the record's buffer must stay readable");
    }

    @Test
    void rejectsRecordsThatBreakTheContract() {
        List<FrameRef> one = List.of(frame("scene-1/v0", 20, "png", PNG_A));
        assertThrows(IllegalArgumentException.class, () -> convert(record("kinetic", List.of("a", "b"), 0, one, List.of())));
        assertThrows(IllegalArgumentException.class, () -> convert(record("static", List.of("a"), 0, one, List.of())));
        assertThrows(IllegalArgumentException.class, () -> convert(record("static", List.of("a", "b"), 2, one, List.of())));
        assertThrows(IllegalArgumentException.class,
                () -> convert(record("static", List.of("a", "b"), 0, List.of(), List.of())), "no image at all");
        assertThrows(IllegalArgumentException.class, () -> convert(record("static", List.of("a", "b"), 0,
                List.of(frame("scene-1/v0", 21, "gif", PNG_A)), List.of())));
        assertThrows(IllegalArgumentException.class, () -> convert(record("static", List.of("a", "b"), 0,
                List.of(frame("scene-1/v0", 22, "png", new byte[0])), List.of())));
        // bytes the batch decoder could not read: caught here, where the record can still be dead-lettered
        IllegalArgumentException notPng = assertThrows(IllegalArgumentException.class, () -> convert(record("static",
                List.of("a", "b"), 0, List.of(frame("scene-1/v0", 23, "png", "<html>".getBytes())), List.of())));
        assertTrue(notPng.getMessage().startsWith("frames[0] = ") && notPng.getMessage().contains("3c 68 74 6d"),
                notPng.getMessage());
        FrameRef i = one.get(0);
        assertThrows(IllegalArgumentException.class,
                () -> convert(record("dynamic", List.of("a", "b"), 0, List.of(i, i, i), List.of())));
        Mark offImage = Mark.newBuilder().setImage(1).build();
        assertThrows(IllegalArgumentException.class,
                () -> convert(record("static", List.of("a", "b"), 0, one, List.of(offImage))), "mark on image 1 of 1");
    }

    @Test
    void aMissingOrMismatchedFrameIsAnErrorNamingTheReference() {
        QaRecord missing = record("static", List.of("a", "b"), 0, List.of(new FrameRef("scene-1/v0", TOPIC, 3, 99L)),
                List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> convert(missing));
        assertTrue(e.getMessage().contains("frames[0]") && e.getMessage().contains("@99"), e.getMessage());
        frame("scene-1/v5", 30, "png", PNG_A);
        QaRecord wrongView = record("static", List.of("a", "b"), 0, List.of(new FrameRef("scene-1/v0", TOPIC, 3, 30L)),
                List.of());
        e = assertThrows(IllegalArgumentException.class, () -> convert(wrongView));
        assertTrue(e.getMessage().contains("scene-1/v5"), e.getMessage());
    }

    private static QaRecord record(String family, List<String> choices, int correct, List<FrameRef> refs,
            List<Mark> marks) {
        return QaRecord.newBuilder()
                .setQaId("qa-1")
                .setSceneId("scene-1")
                .setFamily(family)
                .setQuestionType("object_movement")
                .setQuestion("Did the chair move left or right?")
                .setChoices(choices)
                .setCorrectIndex(correct)
                .setCorrectAnswer(correct < choices.size() ? choices.get(correct) : "")
                .setFrames(refs)
                .setMarks(marks)
                .setLineage(Lineage.newBuilder().build())
                .build();
    }
}
