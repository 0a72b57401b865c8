package dev.satflow.ops.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.satflow.core.frames.FrameCoordinates;
import dev.satflow.core.frames.FrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.schema.Box2d;
import dev.satflow.schema.CameraPose;
import dev.satflow.schema.Frame;
import dev.satflow.schema.FrameRef;
import dev.satflow.schema.Intrinsics;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.Mark;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SourceRef;
import dev.satflow.schema.Subject;
import dev.satflow.schema.Vec3;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Questions with real PNG frames, resolved through {@link QuestionImages} as the exporter's caller will. */
final class ExportFixtures {
    static final String TOPIC = "satflow.frames.v1";

    /** A question and its resolved images. */
    record Q(QaRecord q, List<QuestionImages.Image> images) {}

    private final Map<FrameCoordinates, Frame> frames = new HashMap<>();
    private final QuestionImages resolver = new QuestionImages(FrameSource.of(frames));
    private long offset;

    /** A {@code size}×{@code size} RGB PNG of random pixels (incompressible, like a rendered frame's PNG). */
    static byte[] png(int size, long seed) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
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

    static boolean isPng(byte[] b) {
        return b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G' && b[4] == 13
                && b[5] == 10 && b[6] == 26 && b[7] == 10;
    }

    FrameRef frame(String scene, String view, byte[] png) {
        long o = offset++;
        frames.put(new FrameCoordinates(TOPIC, 3, o), Frame.newBuilder().setSceneId(scene).setViewId(view)
                .setCamera(CameraPose.newBuilder().setPosition(new Vec3(0f, 1.5f, 0f)).build())
                .setIntrinsics(Intrinsics.newBuilder().build()).setImageFormat("png")
                .setImage(ByteBuffer.wrap(png)).build());
        return new FrameRef(view, TOPIC, 3, o);
    }

    static String split(int scene) {
        return switch (scene % 5) {
            case 3 -> "val";
            case 4 -> "test";
            default -> "train";
        };
    }

    static QaRecord.Builder record(String scene, int seed, String type, String question, List<String> choices,
            int correct, List<FrameRef> refs, List<Mark> marks) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("zeta", "1");
        facts.put("alpha", "2.5");
        return QaRecord.newBuilder().setQaId(scene + "/" + type + "/0").setSceneId(scene).setSplit(split(seed))
                .setFamily(type.equals("ego_movement") || type.equals("perspective") ? "dynamic" : "static")
                .setQuestionType(type).setQuestion(question).setChoices(choices).setCorrectIndex(correct)
                .setCorrectAnswer(choices.get(correct)).setTemplate(type + "/sat").setFrames(refs).setMarks(marks)
                .setSubjects(List.of(new Subject(7, "mug", "red mug", "A")))
                .setGeneratorVersion("satflow-qa/2").setFacts(facts)
                .setLineage(Lineage.newBuilder().setSceneSeed(seed).setSceneGeneratorVersion("satflow-gen/3")
                        .setRendererVersion("satflow-gl/2").setEpisodeId(scene + "/e1")
                        .setSources(List.of(new SourceRef(TOPIC, 3, refs.get(0).getOffset()))).build());
    }

    static Mark dot(int image, String label, float x, float y) {
        return Mark.newBuilder().setImage(image).setKind("dot").setLabel(label).setX(x).setY(y).setObjectId(7)
                .build();
    }

    /**
     * Five questions per scene over {@code scenes} scenes (splits train / val / test by scene): left_right (one
     * image, two dots), counting (one image, a box), ego_movement and camera_translation (the same two unmarked
     * frames), perspective (the second frame with a cross and a dot; a question with quotes and non-ASCII text).
     */
    List<Q> questions(int scenes, int size) {
        List<Q> out = new ArrayList<>();
        Random r = new Random(11);
        for (int s = 0; s < scenes; s++) {
            String scene = "scene-" + s;
            FrameRef v0 = frame(scene, scene + "/v0", png(size, s * 2L));
            FrameRef v1 = frame(scene, scene + "/v1", png(size, s * 2L + 1));
            float c = size / 2f;
            out.add(resolve(record(scene, s, "left_right", "Is the red mug (marked A) to the left or right of the oak"
                    + " table (marked B)?", List.of("left", "right"), r.nextInt(2), List.of(v0),
                    List.of(dot(0, "A", c / 2, c), dot(0, "B", c * 1.5f, c))).build()));
            out.add(resolve(record(scene, s, "counting", "How many chairs are in the image?",
                    List.of("0", "1", "2", "3", "4"), r.nextInt(5), List.of(v0),
                    List.of(Mark.newBuilder().setImage(0).setKind("box").setColor("#1414e6")
                            .setBox(new Box2d(2, 2, 9, 9)).build())).build()));
            out.add(resolve(record(scene, s, "ego_movement", "The first image is from the beginning of the video and"
                    + " the second image is from the end. How did the camera likely rotate when shooting the video?",
                    List.of("rotated left", "rotated right"), r.nextInt(2), List.of(v0, v1), List.of()).build()));
            out.add(resolve(record(scene, s, "camera_translation", "Did the camera move left or right when shooting"
                    + " the video?", List.of("moved left", "moved right"), r.nextInt(2), List.of(v0, v1),
                    List.of()).build()));
            out.add(resolve(record(scene, s, "perspective", "If I move to the 'X' marked point, will the \"café\""
                    + " chair (near the mark 1 in the image) be closer to me or further away?",
                    List.of("closer", "further away"), r.nextInt(2), List.of(v1),
                    List.of(Mark.newBuilder().setImage(0).setKind("cross").setLabel("X").setX(c).setY(c)
                            .setObjectId(0).build(), dot(0, "1", c / 3, c / 3))).build()));
        }
        return out;
    }

    Q resolve(QaRecord q) {
        return new Q(q, resolver.images(q));
    }

    static Summary export(Format format, Path dir, Options options, List<Q> questions) throws IOException {
        try (DatasetWriter w = DatasetWriters.open(format, dir, options)) {
            for (Q q : questions) {
                w.write(q.q(), q.images());
            }
            Summary s = w.finish();
            assertEquals(questions.size(), s.questions());
            return s;
        }
    }

    /** Every regular file under {@code dir}, relative path → bytes, sorted. */
    static Map<String, byte[]> tree(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
