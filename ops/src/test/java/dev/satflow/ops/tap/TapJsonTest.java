package dev.satflow.ops.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satflow.schema.Box2d;
import dev.satflow.schema.CameraPose;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.Frame;
import dev.satflow.schema.Intrinsics;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.Mark;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.Vec3;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** JSON lines built from the Avro schema, without a broker: bytes described, 16 MB values on a default stack. */
class TapJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A PNG signature and IHDR for width x height, padded with arbitrary bytes to {@code size}. */
    static byte[] pngLike(int width, int height, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13)
                .put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height);
        for (int i = b.position(); i < size; i++) {
            b.put((byte) ('"' + (i % 7 == 0 ? 58 : 0))); // quotes and backslashes galore, as escaped text would have
        }
        return b.array();
    }

    static Frame frame(String sceneId, byte[] image) {
        return Frame.newBuilder().setSceneId(sceneId).setViewId(sceneId + "/v0").setRole("static")
                .setCamera(CameraPose.newBuilder().setPosition(new Vec3(0f, 1.5f, 0f)).build())
                .setIntrinsics(Intrinsics.newBuilder().setWidth(512).setHeight(512).build())
                .setImage(ByteBuffer.wrap(image)).build();
    }

    private static ConsumerRecord<String, byte[]> at(String topic, byte[] raw) {
        return new ConsumerRecord<>(topic, 3, 42, "scene-1", raw);
    }

    /** Runs on a new thread, so with the default thread stack (not the main thread's larger one). */
    private static <T> T onDefaultStack(java.util.concurrent.Callable<T> work) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(work.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError("failed on a default stack", failure.get());
        }
        return result.get();
    }

    @Test
    void sixteenMegabyteFrameIsOneShortLineWithThePngSize() throws Exception {
        byte[] image = pngLike(4096, 4096, 16 * 1024 * 1024 - 4096);
        Frame f = frame("scene-1", image);
        TapReader.Line line = onDefaultStack(() -> TapReader.line(at("satflow.frames.v1", new byte[0]), f, null,
                Frame.getClassSchema()));
        assertFalse(line.undecodable());
        assertTrue(line.json().length() < 2_000, line.json());
        JsonNode n = JSON.readTree(line.json());
        assertEquals("satflow.frames.v1", n.get("topic").asText());
        assertEquals(3, n.get("partition").asInt());
        assertEquals(42, n.get("offset").asLong());
        assertEquals("scene-1", n.get("key").asText());
        assertTrue(n.get("timestamp").isNull(), "no timestamp on a hand-made record");
        assertEquals("<png 4096x4096, " + image.length + " bytes>", n.get("value").get("image").asText());
        assertEquals(1.5, n.get("value").get("camera").get("position").get("y").asDouble(), 1e-6);
        assertEquals(512, n.get("value").get("intrinsics").get("width").asInt());
    }

    @Test
    void sixteenMegabyteStringsAndRawBytesWriteOnADefaultStack() throws Exception {
        String huge = "\"\\".repeat(8 * 1024 * 1024); // 16 M characters that all need escaping
        DeadLetter dl = DeadLetter.newBuilder().setStage("render").setSourceTopic("satflow.scenes.v1").setError(huge)
                .setRaw(ByteBuffer.wrap(new byte[16 * 1024 * 1024])).build();
        TapReader.Line line = onDefaultStack(() -> TapReader.line(at("satflow.dlq.v1", new byte[0]), dl, null,
                DeadLetter.getClassSchema()));
        JsonNode v = JSON.readTree(line.json()).get("value");
        assertEquals(huge, v.get("error").asText());
        assertEquals("<16777216 bytes>", v.get("raw").asText());
        assertTrue(v.get("field").isNull());
    }

    @Test
    void unionsMapsArraysAndNonFiniteFloatsAreValidJson() throws Exception {
        QaRecord q = QaRecord.newBuilder().setQaId("scene-1/left_right/0").setSceneId("scene-1")
                .setQuestionType("left_right").setQuestion("Is the red mug (marked A) left of the oak table?")
                .setChoices(List.of("left", "right")).setCorrectAnswer("left")
                .setMarks(List.of(
                        Mark.newBuilder().setLabel("A").setX(Float.NaN).setY(2.5f).build(),
                        Mark.newBuilder().setKind("box").setBox(new Box2d(1, 2, 3, 4)).build()))
                .setLineage(Lineage.newBuilder().setEpisodeId("scene-1/e4").build())
                .setFacts(Map.of("distance_now_m", "3.555", "\u00e9t\u00e9", "caf\u00e9")).build();
        String json = AvroJson.toJson(q);
        assertTrue(json.chars().allMatch(c -> c < 128), "ASCII only: " + json);
        JsonNode v = JSON.readTree(json);
        assertEquals("left_right", v.get("questionType").asText());
        assertEquals("right", v.get("choices").get(1).asText());
        assertEquals("NaN", v.get("marks").get(0).get("x").asText());
        assertEquals(2.5, v.get("marks").get(0).get("y").asDouble());
        assertTrue(v.get("marks").get(0).get("box").isNull());
        assertEquals(3, v.get("marks").get(1).get("box").get("xMax").asInt());
        assertEquals("scene-1/e4", v.get("lineage").get("episodeId").asText());
        assertEquals("caf\u00e9", v.get("facts").get("\u00e9t\u00e9").asText());
        assertEquals(0, v.get("images").size());
    }

    @Test
    void undecodableRecordsNameTheReasonAndTheirSize() throws Exception {
        byte[] raw = "this is not avro".getBytes(StandardCharsets.US_ASCII);
        TapReader.Line line = TapReader.line(at("satflow.qa.v2", raw), null,
                new SerializationException("not Confluent-framed Avro: magic byte 0x74"), QaRecord.getClassSchema());
        assertTrue(line.undecodable());
        JsonNode n = JSON.readTree(line.json());
        assertEquals(42, n.get("offset").asLong());
        assertEquals("not Confluent-framed Avro: magic byte 0x74", n.get("value").get("undecodable").asText());
        assertEquals(raw.length, n.get("value").get("bytes").asInt());

        // a value its schema does not describe is reported, not thrown
        TapReader.Line odd = TapReader.line(at("satflow.qa.v2", raw), "not a record", null,
                QaRecord.getClassSchema());
        assertTrue(odd.undecodable(), odd.json());
        assertTrue(JSON.readTree(odd.json()).get("value").get("undecodable").asText().contains("cannot write as JSON"));
    }

    @Test
    void bytesAreDescribed() {
        assertEquals("<png 512x384, 100 bytes>", AvroJson.describe(ByteBuffer.wrap(pngLike(512, 384, 100))));
        assertEquals("<jpeg, 4 bytes>", AvroJson.describe(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xd8,
                (byte) 0xff, 0})));
        assertEquals("<0 bytes>", AvroJson.describe(ByteBuffer.allocate(0)));
        ByteBuffer sliced = ByteBuffer.wrap(pngLike(7, 9, 64));
        sliced.position(1);
        assertEquals("<63 bytes>", AvroJson.describe(sliced), "not a PNG from where the buffer starts");
        assertEquals(1, sliced.position(), "the buffer is not moved");
    }

    @Test
    void timesParseAsIsoOrEpochMillis() {
        long t = 1_714_564_800_000L; // 2024-05-01T12:00:00Z
        assertEquals(t, TapCommand.parseTime("2024-05-01T12:00:00Z"));
        assertEquals(t, TapCommand.parseTime("2024-05-01T14:00+02:00"));
        assertEquals(t, TapCommand.parseTime("2024-05-01T12:00:00"));
        assertEquals(t - 12 * 3600_000L, TapCommand.parseTime("2024-05-01"));
        assertEquals(t, TapCommand.parseTime(Long.toString(t)));
        assertThrows(IllegalArgumentException.class, () -> TapCommand.parseTime("yesterday"));
    }

    @Test
    void sampleIsAboutOneInNAndTheSameEveryTime() {
        TapSelection every = TapSelection.all();
        assertTrue(every.sampled(0, 0) && every.sampled(5, 123));
        for (int n : new int[] {2, 10, 100}) {
            int kept = 0;
            int total = 0;
            for (int p = 0; p < 12; p++) {
                for (long o = 0; o < 10_000; o++) {
                    total++;
                    if (TapSelection.sampled(p, o, n)) {
                        kept++;
                        assertTrue(TapSelection.sampled(p, o, n), "deterministic");
                    }
                }
            }
            double share = kept / (double) total;
            assertEquals(1.0 / n, share, 0.1 / n, "about 1 in " + n);
        }
        // not just every n-th offset: consecutive offsets of one partition are mixed
        int runs = 0;
        for (long o = 0; o < 1000; o++) {
            if (TapSelection.sampled(0, o, 2) == TapSelection.sampled(0, o + 1, 2)) {
                runs++;
            }
        }
        assertTrue(runs > 350 && runs < 650, "neighbours independent: " + runs);
    }
}
