package dev.satflow.ops.console;

import dev.satflow.schema.Box2d;
import dev.satflow.schema.CameraPose;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.Frame;
import dev.satflow.schema.FrameRef;
import dev.satflow.schema.Intrinsics;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.Mark;
import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.Subject;
import dev.satflow.schema.TypeScore;
import dev.satflow.schema.Vec3;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Records for the console's tests: frames with a picture and one annotated object, questions that reference them. */
final class ConsoleFixtures {
    static final String FRAMES = "satflow.frames.v1";

    private ConsoleFixtures() {}

    /** A size² PNG: a grey floor and a dark square in the middle. */
    static byte[] png(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(0x8a8f94));
        g.fillRect(0, 0, size, size);
        g.setColor(new Color(0x30343a));
        g.fillRect(size / 4, size / 4, size / 2, size / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Frame frame(String scene, String view, int size) {
        ObjectAnnotation a = ObjectAnnotation.newBuilder().setObjectId(7).setVisiblePixels(size * size / 4)
                .setUnoccludedPixels(size * size / 4).setVisibleFraction(1f)
                .setBox(new Box2d(size / 4, size / 4, 3 * size / 4 - 1, 3 * size / 4 - 1)).build();
        return Frame.newBuilder().setSceneId(scene).setViewId(view).setRole("static")
                .setCamera(CameraPose.newBuilder().setPosition(new Vec3(0f, 1.5f, 0f)).build())
                .setIntrinsics(Intrinsics.newBuilder().setWidth(size).setHeight(size).build()).setImageFormat("png")
                .setImage(ByteBuffer.wrap(png(size))).setObjects(List.of(a)).build();
    }

    /** A question on the frame at {@code FRAMES partition@offset}, with a red dot 'A' in the middle. */
    static QaRecord question(String scene, int n, String type, String split, int partition, long offset, int size) {
        List<String> choices = List.of("left", "right");
        return QaRecord.newBuilder().setQaId(scene + "/" + type + "/" + n).setSceneId(scene).setSplit(split)
                .setFamily("static").setQuestionType(type).setQuestion("Is the mug (marked A) left or right of the lamp?")
                .setChoices(choices).setCorrectIndex(n % 2).setCorrectAnswer(choices.get(n % 2))
                .setTemplate(type + "/sat").setFrames(List.of(new FrameRef(scene + "/v0", FRAMES, partition, offset)))
                .setMarks(List.of(Mark.newBuilder().setImage(0).setKind("dot").setLabel("A").setX(size / 2f)
                        .setY(size / 2f).setSize(size / 10f).setObjectId(7).build()))
                .setSubjects(List.of(new Subject(7, "mug", "red mug", "A"))).setGeneratorVersion("satflow-qa/2")
                .setFacts(Map.of("depth_a", "1.25"))
                .setLineage(Lineage.newBuilder().setSceneSeed(1).setSceneGeneratorVersion("satflow-gen/3")
                        .setRendererVersion("satflow-gl/2").build())
                .build();
    }

    static EvalReport eval(String run, long step, float acc, Float blindCv, Float blindCatCv) {
        TypeScore s = TypeScore.newBuilder().setQuestionType("left_right").setCount(40).setCorrect((int) (40 * acc))
                .setAccuracy(acc).setCircularAccuracy(acc - 0.05f).setChance(0.5f).setMajority(0.55f)
                .setBlindText(0.9f).setBlindTextCv(blindCv).setBlindCategoryCv(blindCatCv).build();
        return EvalReport.newBuilder().setCheckpointId(run + "-step-" + step).setRunId(run).setStep(step)
                .setScores(List.of(s)).setAccuracy(acc).setChance(0.5f).setCount(40).setCreatedAtMs(1000 * step).build();
    }

    static DeadLetter deadLetter(String stage, String field, String error) {
        return DeadLetter.newBuilder().setStage(stage).setSourceTopic("satflow.scenes.v1").setPartition(0).setOffset(3)
                .setErrorClass("dev.satflow.core.validate.ContractViolation").setError(error).setField(field).build();
    }
}
