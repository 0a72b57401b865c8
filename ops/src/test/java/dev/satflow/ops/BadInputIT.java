package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.contracts.Topic;
import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.core.config.SatflowSettings;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.core.validate.DeadLetters;
import dev.satflow.ops.stages.Stages;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.producers.kafka.FrameRenderer;
import dev.satflow.producers.kafka.RenderService;
import dev.satflow.qa.QaApp;
import dev.satflow.qa.QaTopology;
import dev.satflow.qa.QuestionDeriver;
import dev.satflow.evaluator.EvaluatorService;
import dev.satflow.schema.CameraPose;
import dev.satflow.schema.Checkpoint;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.Frame;
import dev.satflow.schema.FrameRef;
import dev.satflow.schema.Intrinsics;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.Vec3;
import dev.satflow.trainer.stream.TrainerService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input on every input topic (scenes, frames, questions, checkpoints), among valid
 * records, through the real renderer, QA processor, trainer and evaluator on the embedded broker: each bad
 * record gives exactly one dead letter per consuming stage, with its coordinates, raw bytes and an error
 * naming the field and value (or the decoding problem), and every valid record is still rendered, answered,
 * trained on and scored. Two scenes pass validation but make a stage throw (the renderer, the question
 * deriver): they are dead-lettered too instead of failing the stage. The README's "Bad input" table must
 * list exactly these kinds, in this order.
 */
class BadInputIT {
    @TempDir
    Path dir;

    /** One bad record: where it went, who must dead-letter it, and what the error must say. */
    private record Bad(String kind, String topic, String key, byte[] raw, RecordMetadata at, List<String> stages,
            String field, List<String> says) {}

    @Test
    void everyKindOfBadInputIsDeadLetteredOncePerStageWhileGoodRecordsFlow() throws Exception {
        long t0 = System.nanoTime();
        Map<String, Object> flags = new HashMap<>();
        flags.put("data-dir", dir.resolve("data").toString());
        flags.put("partitions", 2);
        // small rooms and frames: the test is about routing, not pixels
        flags.put("render.width", 64);
        flags.put("render.height", 64);
        flags.put("generate.min-objects", 3);
        flags.put("generate.max-objects", 4);
        flags.put("out", dir.resolve("out").toString());
        flags.put("train.steps", 2);
        flags.put("train.batch", 4);
        flags.put("train.checkpoint-every", 2);
        flags.put("train.image-size", 16);
        flags.put("train.linger", 0.3);
        flags.put("train.example-log", false);
        Config config = SatflowSettings.load(null, flags);
        try (Cluster cluster = Cluster.connect(config)) {
            Topics topics = cluster.topics();
            String scenes = topics.scenes().name();
            String frames = topics.frames().name();
            SceneGenerator generator = new SceneGenerator(Stages.generator(config));
            List<SceneSpec> good = List.of(generator.generate(11), generator.generate(12), generator.generate(13));
            SceneSpec renderBreaks = generator.generate(14); // valid, but the renderer throws on it
            SceneSpec deriverBreaks = generator.generate(15); // valid and rendered, but question derivation throws
            // every valid question in the train split: the trainer trains on them and the evaluator scores them
            for (SceneSpec s : List.of(good.get(0), good.get(1), good.get(2), renderBreaks, deriverBreaks)) {
                s.setSplit("train");
            }
            List<String> both = List.of(RenderService.STAGE, "qa");
            List<String> trainAndEval = List.of("train", "evaluate");
            List<String> evaluate = List.of("evaluate");
            List<String> qa = List.of("qa");

            List<Bad> bad = new ArrayList<>();
            int seed = 100;
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    KafkaClients.producer(cluster.bootstrap(), "bad-input-test"), new StringSerializer(),
                    new ByteArraySerializer())) {
                Sender send = new Sender(producer, bad);
                // --- satflow.scenes.v1: read by the renderer and the QA processor ---
                send.good(scenes, good.get(0).getSceneId(), spec(topics, good.get(0)));
                send.bad("scene: not Avro", scenes, "junk-1", "this is not an avro record".getBytes(
                        StandardCharsets.UTF_8), both, null, "not Confluent-framed Avro");
                send.bad("scene: unknown schema id", scenes, "junk-2",
                        ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(42).array(), both, null,
                        "unknown schema id 987654");
                byte[] whole = spec(topics, generator.generate(seed++));
                send.bad("scene: truncated Avro", scenes, "junk-3", Arrays.copyOf(whole, whole.length / 2), both, null,
                        "cannot decode SceneSpec");
                send.bad("scene: null value (tombstone)", scenes, "junk-4", null, both, "value", "value = null");
                send.scene("scene: NaN coordinate", generator.generate(seed++), topics, both, "objects[0].position.x",
                        "= NaN", s -> s.getObjects().get(0).getPosition().setX(Float.NaN));
                send.scene("scene: infinite angle", generator.generate(seed++), topics, both, "objects[0].yawDeg",
                        "= Infinity", s -> s.getObjects().get(0).setYawDeg(Float.POSITIVE_INFINITY));
                send.good(scenes, good.get(1).getSceneId(), spec(topics, good.get(1)));
                send.scene("scene: zero-size object", generator.generate(seed++), topics, both, "objects[1].size.y",
                        "= 0.0", s -> s.getObjects().get(1).getSize().setY(0f));
                send.scene("scene: empty room (no objects)", generator.generate(seed++), topics, both, "objects",
                        "= []", s -> s.setObjects(List.of()));
                // 10^6 objects would not fit in a Kafka record (1 MB): 5,000 is already far past the limit
                send.scene("scene: 5,000 objects", generator.generate(seed++), topics, both, "objects",
                        "= 5000 objects: at most 400", s -> s.setObjects(copies(s.getObjects().get(0), 5_000)));
                SceneSpec dup = generator.generate(seed++);
                int firstId = dup.getObjects().get(0).getId();
                send.scene("scene: duplicate object id", dup, topics, both, "objects[1].id",
                        "= " + firstId + ": must be >= 1 and unique", s -> s.getObjects().get(1).setId(firstId));
                send.scene("scene: camera pitch out of range", generator.generate(seed++), topics, both,
                        "views[0].camera.pitchDeg", "= 95.0", s -> s.getViews().get(0).getCamera().setPitchDeg(95f));
                send.scene("scene: episode names a missing view", generator.generate(seed++), topics, both,
                        "episodes[0].fromView", "= 'nowhere'", s -> s.getEpisodes().get(0).setFromView("nowhere"));
                send.scene("scene: oversized image requested", generator.generate(seed++), topics, both,
                        "render.width", "= 1000000", s -> s.getRender().setWidth(1_000_000));
                send.scene("scene: unknown image format", generator.generate(seed++), topics, both,
                        "render.imageFormat", "= 'gif'", s -> s.getRender().setImageFormat("gif"));
                SceneSpec misKeyed = generator.generate(seed++);
                send.bad("scene: key is not its sceneId", scenes, "wrong-key", spec(topics, misKeyed), both, "sceneId",
                        "'" + misKeyed.getSceneId() + "'", "must equal the record key 'wrong-key'");
                // a record over the topic's limit (max.message.bytes, 2 MiB for scenes) is refused to its producer
                // by the broker, so no stage ever reads it (random bytes: lz4 would shrink zeros below the limit)
                byte[] huge = new byte[3 << 20];
                new java.util.Random(7).nextBytes(huge);
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> producer.send(new ProducerRecord<>(scenes, "huge", huge)).get());
                assertInstanceOf(RecordTooLargeException.class, refused.getCause(), refused.toString());
                send.good(scenes, renderBreaks.getSceneId(), spec(topics, renderBreaks));
                send.good(scenes, deriverBreaks.getSceneId(), spec(topics, deriverBreaks));
                send.good(scenes, good.get(2).getSceneId(), spec(topics, good.get(2)));

                // --- satflow.frames.v1: read by the QA processor ---
                Frame frame = frame("frame-scene", png());
                send.bad("frame: not Avro", frames, "frame-scene", "<html>not a frame</html>".getBytes(
                        StandardCharsets.UTF_8), qa, null, "not Confluent-framed Avro");
                byte[] wholeFrame = frameBytes(topics, frame);
                send.bad("frame: truncated Avro", frames, "frame-scene",
                        Arrays.copyOf(wholeFrame, wholeFrame.length - 40), qa, null, "cannot decode Frame");
                send.bad("frame: null value (tombstone)", frames, "frame-scene", null, qa, "value", "value = null");
                send.frame("frame: image bytes are not an image", frame, topics, "image",
                        "= 9 bytes starting 47 49 46 38 39 61 2e 2e: not a PNG or JPEG image", f -> f.setImage(ByteBuffer.wrap("GIF89a...".getBytes(
                                StandardCharsets.US_ASCII))));
                // near the frames topic's 16 MiB limit: its dead letter keeps the first MiB, so it fits the DLQ
                int big = Topics.MAX_MESSAGE_BYTES - (64 << 10);
                send.frame("frame: near the 16 MiB limit, not an image", frame, topics, "image", "= " + big
                        + " bytes starting 00 00 00 00 00 00 00 00: not a PNG or JPEG image (raw bytes cut to the "
                        + "first 1048576 of ", f -> f.setImage(ByteBuffer.allocate(big)));
                send.frame("frame: empty image", frame, topics, "image", "= 0 bytes",
                        f -> f.setImage(ByteBuffer.allocate(0)));
                send.frame("frame: NaN camera position", frame, topics, "camera.position.y", "= NaN",
                        f -> f.getCamera().getPosition().setY(Float.NaN));
                send.frame("frame: viewCount 0", frame, topics, "viewCount", "= 0", f -> f.setViewCount(0));
                send.frame("frame: negative pixel count", frame, topics, "objects[0].visiblePixels", "= -5",
                        f -> f.setObjects(List.of(ObjectAnnotation.newBuilder().setObjectId(1).setVisiblePixels(-5)
                                .build())));
                send.bad("frame: key is not its sceneId", frames, "other-scene", frameBytes(topics, frame), qa, "sceneId",
                        "'frame-scene'", "must equal the record key 'other-scene'");
                RecordMetadata notAnImage = bad.stream().filter(b -> b.kind().equals(
                        "frame: image bytes are not an image")).findFirst().orElseThrow().at();

                // --- satflow.qa.v2: read by the trainer and the evaluator; first in the topic, before QA's ---
                String qaTopic = topics.qa().name();
                send.bad("question: not Avro", qaTopic, "frame-scene", "{\"question\": \"json?\"}".getBytes(
                        StandardCharsets.UTF_8), trainAndEval, null, "not Confluent-framed Avro");
                byte[] wholeQuestion = questionBytes(topics, question("q-0", "v0", frames, 0, 0));
                send.bad("question: truncated Avro", qaTopic, "frame-scene",
                        Arrays.copyOf(wholeQuestion, wholeQuestion.length - 10), trainAndEval, null,
                        "cannot decode QaRecord");
                send.bad("question: null value (tombstone)", qaTopic, "frame-scene", null, trainAndEval, "value",
                        "value = null: a question record needs a value");
                send.bad("question: its frame is missing", qaTopic, "frame-scene",
                        questionBytes(topics, question("q-1", "v0", frames, 0, 12_345)), trainAndEval, "frames[0]",
                        "@12345", "no frame there");
                send.bad("question: its frame is not an image", qaTopic, "frame-scene", questionBytes(topics,
                        question("q-2", "v0", frames, notAnImage.partition(), notAnImage.offset())), trainAndEval,
                        "frames[0]", "47 49 46 38", "not a PNG or JPEG image");

                // --- satflow.checkpoints.v1: read by the evaluator; first in the topic, before the trainer's ---
                String checkpoints = topics.checkpoints().name();
                send.bad("checkpoint: not Avro", checkpoints, "run-x", "step-2".getBytes(StandardCharsets.UTF_8),
                        evaluate, null, "not Confluent-framed Avro");
                send.bad("checkpoint: null value (tombstone)", checkpoints, "run-x", null, evaluate, "value",
                        "value = null: a checkpoint record needs a value");
                Checkpoint ghost = Checkpoint.newBuilder().setCheckpointId("run-x/step-2").setRunId("run-x")
                        .setStep(2).setPath(dir.resolve("nowhere").toString()).build();
                send.bad("checkpoint: its folder is missing", checkpoints, "run-x",
                        topics.checkpoints().valueSerde().serializer().serialize(checkpoints, ghost), evaluate, null,
                        "path = " + ghost.getPath(), "checkpoint folder not found");
            }
            List<String> kinds = new ArrayList<>(bad.stream().map(Bad::kind).toList());
            kinds.add("scene: the renderer throws (unforeseen)");
            kinds.add("scene: question derivation throws (unforeseen)");

            // an unforeseen renderer failure on one valid scene: retried, then dead-lettered, never a dead worker
            AtomicInteger renderAttempts = new AtomicInteger();
            Supplier<FrameRenderer> gl = Stages.glRenderers();
            Supplier<FrameRenderer> renderers = () -> {
                FrameRenderer real = gl.get();
                return new FrameRenderer() {
                    @Override
                    public List<Frame> render(SceneSpec spec) {
                        if (spec.getSceneId().equals(renderBreaks.getSceneId())) {
                            renderAttempts.incrementAndGet();
                            throw new IllegalStateException("GL context lost (injected)");
                        }
                        return real.render(spec);
                    }

                    @Override
                    public void close() {
                        real.close();
                    }
                };
            };
            QaTopology.Options standard = Stages.qaTopology(config, topics);
            QuestionDeriver deriver = (spec, fs) -> {
                if (spec.getSceneId().equals(deriverBreaks.getSceneId())) {
                    throw new IllegalStateException("template table corrupt (injected)");
                }
                return standard.deriver().derive(spec, fs);
            };
            QaTopology.Options options = new QaTopology.Options(topics, deriver, standard.incompleteAfter(),
                    standard.sweepEvery());

            long sceneRecords = bad.stream().filter(b -> b.topic().equals(scenes)).count() + good.size() + 2;
            QaApp.Settings qaSettings = Stages.qa(config, cluster.bootstrap());
            RenderService.Settings rs = Stages.render(config, cluster.bootstrap());
            rs = new RenderService.Settings(rs.bootstrap(), rs.group(), "bad-input-test", 1, (int) sceneRecords);
            try (QaApp app = new QaApp(qaSettings, options).start(Duration.ofMinutes(2));
                    RenderService render = new RenderService(rs, topics, renderers, new SimpleMeterRegistry(),
                            Clock.systemUTC()).start()) {
                render.await(); // throws if a worker died on any of the records
                QaCommand.awaitCaughtUp(app, qaSettings.applicationId(), cluster);
            }
            // the trainer meets the bad questions first, trains on the valid ones and writes a checkpoint; the
            // evaluator meets the bad checkpoints first, then scores the trainer's on every valid question
            TrainerService.Summary trained = assertTimeoutPreemptively(Duration.ofMinutes(2),
                    () -> new TrainerService(Stages.train(config, cluster.bootstrap()), topics,
                            new SimpleMeterRegistry(), Clock.systemUTC()).run(step -> { }));
            List<EvalReport> reports = new ArrayList<>();
            assertTimeoutPreemptively(Duration.ofMinutes(2), () -> new EvaluatorService(
                    new EvaluatorService.Settings(cluster.bootstrap(), "bad-input-eval", "train",
                            dir.resolve("reports"), 1), topics, new SimpleMeterRegistry(), Clock.systemUTC())
                    .run(reports::add));

            List<DeadLetter> dead = TopicScan.values(cluster.bootstrap(), topics.dlq());
            List<DeadLetter> unmatched = new ArrayList<>(dead);
            for (Bad b : bad) {
                for (String stage : b.stages()) {
                    List<DeadLetter> mine = dead.stream().filter(d -> d.getStage().equals(stage)
                            && d.getSourceTopic().equals(b.topic()) && d.getPartition() == b.at().partition()
                            && d.getOffset() == b.at().offset()).toList();
                    assertEquals(1, mine.size(), stage + " dead-letters '" + b.kind() + "' once: " + mine);
                    DeadLetter dl = mine.get(0);
                    unmatched.remove(dl);
                    assertEquals(b.key(), dl.getKey(), b.kind());
                    if (b.raw() != null) {
                        assertArrayEquals(Arrays.copyOf(b.raw(), Math.min(b.raw().length, DeadLetters.MAX_RAW_BYTES)),
                                bytes(dl.getRaw()), "raw bytes kept for " + b.kind());
                    } else {
                        assertNull(dl.getRaw(), b.kind());
                    }
                    assertEquals(b.field(), dl.getField(), stage + " names the field of " + b.kind());
                    for (String s : b.says()) {
                        assertTrue(dl.getError().contains(s), stage + " on '" + b.kind() + "' says '" + s + "': "
                                + dl.getError());
                    }
                }
            }

            // the renderer's failure: three attempts, then one dead letter at the scene's coordinates
            assertEquals(3, renderAttempts.get(), "bounded retries of the failing render");
            TopicScan.Entry<SceneSpec> rb = scan(cluster, topics.scenes(), renderBreaks.getSceneId());
            List<DeadLetter> renderDl = unmatched.stream().filter(d -> d.getStage().equals(RenderService.STAGE)
                    && d.getSourceTopic().equals(scenes) && d.getPartition() == rb.partition()
                    && d.getOffset() == rb.offset()).toList();
            assertEquals(1, renderDl.size(), "the scene the renderer cannot render, dead-lettered once: " + dead);
            assertTrue(renderDl.get(0).getError().contains("render of scene " + renderBreaks.getSceneId()
                    + " failed 3 times") && renderDl.get(0).getError().contains("GL context lost"),
                    renderDl.get(0).getError());
            unmatched.removeAll(renderDl);

            // the deriver's failure: one qa dead letter, at the record that completed the scene (spec or frame)
            List<DeadLetter> qaDl = unmatched.stream().filter(d -> d.getStage().equals("qa")
                    && deriverBreaks.getSceneId().equals(d.getKey())).toList();
            assertEquals(1, qaDl.size(), "the scene whose questions cannot be derived, dead-lettered once: " + dead);
            assertTrue(qaDl.get(0).getError().contains("question derivation failed for scene "
                    + deriverBreaks.getSceneId()) && qaDl.get(0).getError().contains("template table corrupt"),
                    qaDl.get(0).getError());
            Set<String> completing = new LinkedHashSet<>();
            TopicScan.scan(cluster.bootstrap(), topics.frames(), e -> {
                if (deriverBreaks.getSceneId().equals(e.key())) {
                    completing.add(e.topic() + "-" + e.partition() + "@" + e.offset());
                }
                return true;
            });
            TopicScan.Entry<SceneSpec> db = scan(cluster, topics.scenes(), deriverBreaks.getSceneId());
            completing.add(scenes + "-" + db.partition() + "@" + db.offset());
            DeadLetter q = qaDl.get(0);
            assertTrue(completing.contains(q.getSourceTopic() + "-" + q.getPartition() + "@" + q.getOffset()),
                    "at one of the scene's records " + completing + ": " + q);
            unmatched.removeAll(qaDl);
            assertEquals(List.of(), unmatched, "no other dead letters");

            // the valid records around the bad ones all went through
            List<SceneSpec> rendered = new ArrayList<>(good);
            rendered.add(deriverBreaks);
            List<Frame> out = TopicScan.values(cluster.bootstrap(), topics.frames());
            out.removeIf(f -> f.getSceneId().equals("frame-scene") || f.getSceneId().equals("other-scene"));
            assertEquals(rendered.stream().mapToInt(s -> s.getViews().size()).sum(), out.size(),
                    "every view of every valid scene rendered once");
            assertEquals(rendered.stream().map(SceneSpec::getSceneId).collect(Collectors.toSet()),
                    out.stream().map(Frame::getSceneId).collect(Collectors.toSet()));
            List<QaRecord> questions = TopicScan.values(cluster.bootstrap(), topics.qa());
            questions.removeIf(r -> r.getSceneId().equals("frame-scene")); // the bad ones this test wrote
            assertEquals(good.stream().map(SceneSpec::getSceneId).collect(Collectors.toSet()),
                    questions.stream().map(QaRecord::getSceneId).collect(Collectors.toSet()),
                    "questions for every valid scene and for no bad one");
            assertEquals(2, trained.steps(), "training went on past the bad questions");
            assertEquals(1, reports.size());
            assertEquals(trained.checkpoints().get(0).getCheckpointId(), reports.get(0).getCheckpointId());
            assertEquals(questions.size(), reports.get(0).getScores().stream().mapToInt(t -> t.getCount()).sum(),
                    "the evaluator scored every valid question");
            // its question-only baselines too: over every decodable record (the two bad ones that decode), the
            // tombstone passed over
            assertEquals(questions.size() + 2, reports.get(0).getBlindRecords(), "blind baselines computed");
            assertTrue(kinds.size() >= 20, kinds.size() + " kinds");
            readmeListsEveryKind(kinds);
            System.out.printf("BadInputIT: %d kinds in %.1f s%n", kinds.size(), (System.nanoTime() - t0) / 1e9);
        }
    }

    /** The README's "Bad input" table lists exactly the kinds this test sends, in its order. */
    private static void readmeListsEveryKind(List<String> kinds) throws Exception {
        String readme = Files.readString(MeterSources.root().resolve("README.md"));
        int at = readme.indexOf("### Bad input");
        assertTrue(at >= 0, "README has a 'Bad input' section");
        List<String> listed = readme.substring(at).lines().dropWhile(l -> !l.startsWith("|"))
                .takeWhile(l -> l.startsWith("|")).skip(2).map(l -> l.split("\\|")[1].trim())
                .filter(k -> k.matches("(scene|frame|question|checkpoint): .*")).toList();
        assertEquals(kinds, listed, "README 'Bad input' rows vs the kinds BadInputIT sends");
    }

    /** Writes records and remembers the bad ones with what their dead letters must say. */
    private record Sender(KafkaProducer<String, byte[]> producer, List<Bad> bad) {
        RecordMetadata good(String topic, String key, byte[] raw) throws Exception {
            return producer.send(new ProducerRecord<>(topic, key, raw)).get();
        }

        void bad(String kind, String topic, String key, byte[] raw, List<String> stages, String field,
                String... says) throws Exception {
            List<String> all = new ArrayList<>(List.of(says));
            if (field != null) {
                all.add(0, field);
            }
            bad.add(new Bad(kind, topic, key, raw, good(topic, key, raw), stages, field, all));
        }

        void scene(String kind, SceneSpec s, Topics topics, List<String> stages, String field, String value,
                Consumer<SceneSpec> breakIt) throws Exception {
            breakIt.accept(s);
            bad(kind, topics.scenes().name(), s.getSceneId(), spec(topics, s), stages, field, field + " " + value);
        }

        void frame(String kind, Frame template, Topics topics, String field, String value, Consumer<Frame> breakIt)
                throws Exception {
            Frame f = Frame.newBuilder(template).build(); // a deep copy: each kind breaks one thing
            breakIt.accept(f);
            bad(kind, topics.frames().name(), f.getSceneId(), frameBytes(topics, f), List.of("qa"), field,
                    field + " " + value);
        }
    }

    private static TopicScan.Entry<SceneSpec> scan(Cluster cluster, Topic<String, SceneSpec> topic, String key) {
        List<TopicScan.Entry<SceneSpec>> found = new ArrayList<>();
        TopicScan.scan(cluster.bootstrap(), topic, e -> {
            if (key.equals(e.key())) {
                found.add(e);
            }
            return true;
        });
        assertEquals(1, found.size(), "one record of " + key);
        return found.get(0);
    }


    /** A train-split question showing one frame by its coordinates. */
    private static QaRecord question(String qaId, String viewId, String framesTopic, int partition, long offset) {
        return QaRecord.newBuilder().setQaId("bad/left_right/" + qaId).setSceneId("frame-scene").setSplit("train")
                .setFamily("static").setQuestionType("left_right").setQuestion("Left or right?")
                .setChoices(List.of("left", "right")).setCorrectIndex(0).setCorrectAnswer("left")
                .setFrames(List.of(new FrameRef(viewId, framesTopic, partition, offset)))
                .setLineage(Lineage.newBuilder().build()).build();
    }

    private static byte[] questionBytes(Topics topics, QaRecord q) {
        return topics.qa().valueSerde().serializer().serialize(topics.qa().name(), q);
    }

    private static List<SceneObject> copies(SceneObject o, int n) {
        List<SceneObject> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            out.add(SceneObject.newBuilder(o).setId(i).build());
        }
        return out;
    }

    private static byte[] spec(Topics topics, SceneSpec s) {
        return topics.scenes().valueSerde().serializer().serialize(topics.scenes().name(), s);
    }

    private static byte[] frameBytes(Topics topics, Frame f) {
        return topics.frames().valueSerde().serializer().serialize(topics.frames().name(), f);
    }

    /** A frame that passes validation, of a scene that never comes: each kind breaks one thing of it. */
    private static Frame frame(String sceneId, byte[] png) {
        return Frame.newBuilder().setSceneId(sceneId).setViewId("v0").setViewCount(1)
                .setCamera(CameraPose.newBuilder().setPosition(new Vec3(0f, 1.5f, 2f)).build())
                .setIntrinsics(Intrinsics.newBuilder().build())
                .setObjects(List.of(ObjectAnnotation.newBuilder().setObjectId(1).setVisiblePixels(4).build()))
                .setImage(ByteBuffer.wrap(png)).build();
    }

    private static byte[] png() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
