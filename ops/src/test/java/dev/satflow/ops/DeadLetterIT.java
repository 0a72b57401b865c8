package dev.satflow.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.contracts.Topics;
import dev.satflow.core.config.Config;
import dev.satflow.core.config.SatflowSettings;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.ops.stages.Stages;
import dev.satflow.ops.stages.TopicScan;
import dev.satflow.producers.generate.SceneGenerator;
import dev.satflow.producers.kafka.RenderService;
import dev.satflow.qa.QaApp;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.Frame;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.Vec3;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Undecodable and contract-breaking records on the scene topic land in the DLQ, once per consuming
 * stage (renderer and QA processor), with their coordinates, reason and raw bytes, while the valid
 * specs around them still become frames and questions.
 */
class DeadLetterIT {
    @TempDir
    Path dir;

    private record Sent(String what, String key, byte[] raw, RecordMetadata at, String field) {}

    @Test
    void badScenesAreDeadLetteredByEveryStageWhileGoodOnesFlow() throws Exception {
        Map<String, Object> flags = new HashMap<>();
        flags.put("data-dir", dir.resolve("data").toString());
        flags.put("partitions", 2);
        flags.put("render.width", 96);
        flags.put("render.height", 96);
        Config config = SatflowSettings.load(null, flags);
        try (Cluster cluster = Cluster.connect(config)) {
            Topics topics = cluster.topics();
            SceneGenerator generator = new SceneGenerator(Stages.generator(config));
            List<SceneSpec> good = List.of(generator.generate(11), generator.generate(12), generator.generate(13));

            SceneSpec nan = SceneSpec.newBuilder(generator.generate(21)).build();
            Vec3 p = nan.getObjects().get(0).getPosition();
            nan.getObjects().get(0).setPosition(new Vec3(Float.NaN, p.getY(), p.getZ()));
            SceneSpec flat = SceneSpec.newBuilder(generator.generate(22)).build();
            Vec3 s = flat.getObjects().get(1).getSize();
            flat.getObjects().get(1).setSize(new Vec3(s.getX(), 0f, s.getZ()));

            byte[] unknownSchema = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(42).array();
            List<Sent> bad = new ArrayList<>();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    KafkaClients.producer(cluster.bootstrap(), "dlq-test"), new StringSerializer(),
                    new ByteArraySerializer())) {
                for (SceneSpec g : good) {
                    send(producer, topics, g.getSceneId(), topics.scenes().valueSerde().serializer()
                            .serialize(topics.scenes().name(), g));
                }
                bad.add(sent("not avro", producer, topics, "junk-1",
                        "this is not an avro record".getBytes(StandardCharsets.UTF_8), null));
                bad.add(sent("unknown schema id", producer, topics, "junk-2", unknownSchema, null));
                bad.add(sent("NaN coordinate", producer, topics, nan.getSceneId(),
                        topics.scenes().valueSerde().serializer().serialize(topics.scenes().name(), nan),
                        "objects[0].position.x"));
                bad.add(sent("zero-size object", producer, topics, flat.getSceneId(),
                        topics.scenes().valueSerde().serializer().serialize(topics.scenes().name(), flat),
                        "objects[1].size.y"));
            }

            QaApp.Settings qaSettings = Stages.qa(config, cluster.bootstrap());
            RenderService.Settings rs = Stages.render(config, cluster.bootstrap());
            rs = new RenderService.Settings(rs.bootstrap(), rs.group(), "dlq-test", 1, good.size() + bad.size());
            try (QaApp qa = new QaApp(qaSettings, Stages.qaTopology(config, topics)).start(Duration.ofMinutes(2));
                    RenderService render = new RenderService(rs, topics, Stages.glRenderers(),
                            new SimpleMeterRegistry(), Clock.systemUTC()).start()) {
                render.await();
                QaCommand.awaitCaughtUp(qa, qaSettings.applicationId(), cluster);
            }

            List<DeadLetter> dead = TopicScan.values(cluster.bootstrap(), topics.dlq());
            assertEquals(2 * bad.size(), dead.size(), "each bad record dead-lettered by render and by qa: " + dead);
            for (Sent b : bad) {
                for (String stage : List.of("render", "qa")) {
                    DeadLetter dl = dead.stream().filter(d -> d.getStage().equals(stage)
                            && d.getPartition() == b.at().partition() && d.getOffset() == b.at().offset())
                            .findFirst().orElse(null);
                    assertNotNull(dl, stage + " dead letter for " + b.what());
                    assertEquals(topics.scenes().name(), dl.getSourceTopic());
                    assertEquals(b.key(), dl.getKey());
                    assertArrayEquals(b.raw(), bytes(dl.getRaw()), "raw bytes kept for " + b.what());
                    assertTrue(!dl.getError().isBlank(), "a reason for " + b.what());
                    if (b.field() != null) {
                        assertEquals(b.field(), dl.getField(), stage + " names the field of " + b.what());
                        assertTrue(dl.getError().contains(b.field()), dl.getError());
                    }
                }
            }

            Set<String> goodIds = good.stream().map(SceneSpec::getSceneId).collect(Collectors.toSet());
            List<Frame> frames = TopicScan.values(cluster.bootstrap(), topics.frames());
            int views = good.stream().mapToInt(g -> g.getViews().size()).sum();
            assertEquals(views, frames.size(), "every view of every good scene rendered");
            assertEquals(goodIds, frames.stream().map(Frame::getSceneId).collect(Collectors.toSet()));
            List<QaRecord> questions = TopicScan.values(cluster.bootstrap(), topics.qa());
            assertEquals(goodIds, questions.stream().map(QaRecord::getSceneId).collect(Collectors.toSet()),
                    "questions for every good scene and no bad one");
        }
    }

    private static Sent sent(String what, KafkaProducer<String, byte[]> producer, Topics topics, String key,
            byte[] raw, String field) throws Exception {
        return new Sent(what, key, raw, send(producer, topics, key, raw), field);
    }

    private static RecordMetadata send(KafkaProducer<String, byte[]> producer, Topics topics, String key, byte[] raw)
            throws Exception {
        return producer.send(new ProducerRecord<>(topics.scenes().name(), key, raw)).get();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
