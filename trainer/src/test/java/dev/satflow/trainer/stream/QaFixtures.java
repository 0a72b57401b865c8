package dev.satflow.trainer.stream;

import dev.satflow.contracts.Topics;
import dev.satflow.core.kafka.KafkaClients;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.QaImage;
import dev.satflow.schema.QaRecord;
import dev.satflow.trainer.data.QuestionCatalog;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Tiny QA records (16 px inline PNGs, satflow-qa/1 style) published to the QA topic, and the trainer's logs read back. */
final class QaFixtures {
    private QaFixtures() {}

    /** One trained line of an {@link ExampleLog}. */
    record Trained(long step, boolean rehearsal, String qaId, int stage, String source) {}

    /**
     * Publishes {@code perScene} questions per scene for scenes {@code [from, to)}, cycling through {@code types};
     * every fifth question is on the test split. Returns the train-split qaIds.
     */
    static List<String> publish(String bootstrap, Topics topics, int from, int to, int perScene, List<String> types) {
        List<String> train = new ArrayList<>();
        // Test data, written once with one request in flight and no idempotence: on a broker just started, an
        // idempotent producer's first batches retried after NOT_LEADER_OR_FOLLOWER were at times refused as out of
        // sequence for good, and the test waited for questions that never landed. A refused write is not appended,
        // so a plain retry cannot duplicate a question here.
        java.util.Map<String, Object> config = KafkaClients.producer(bootstrap, "fixture");
        config.put("enable.idempotence", false);
        config.put("max.in.flight.requests.per.connection", 1);
        try (KafkaProducer<String, QaRecord> p = new KafkaProducer<>(config,
                topics.qa().keySerde().serializer(), topics.qa().valueSerde().serializer())) {
            for (int s = from; s < to; s++) {
                String scene = "scene-" + s;
                Random rnd = new Random(s);
                ByteBuffer png = ByteBuffer.wrap(png(rnd));
                for (int q = 0; q < perScene; q++) {
                    String type = types.get((s + q) % types.size());
                    String split = q % 5 == 4 ? "test" : "train";
                    String qaId = scene + "/" + type + "/" + q;
                    int correct = rnd.nextInt(2);
                    QaRecord r = QaRecord.newBuilder()
                            .setQaId(qaId).setSceneId(scene).setSplit(split)
                            .setFamily(QuestionCatalog.family(type).wireName()).setQuestionType(type)
                            .setQuestion("Is the thing " + q + " on the left or right?")
                            .setChoices(List.of("left", "right")).setCorrectIndex(correct)
                            .setCorrectAnswer(correct == 0 ? "left" : "right")
                            .setImages(List.of(new QaImage(scene + "/v0", "png", png.duplicate())))
                            .setLineage(Lineage.newBuilder().build())
                            .build();
                    p.send(new ProducerRecord<>(topics.qa().name(), scene, r));
                    if (split.equals("train")) {
                        train.add(qaId);
                    }
                }
            }
            p.flush();
        }
        return train;
    }

    static byte[] png(Random rnd) {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)));
        g.fillRect(0, 0, 16, 16);
        g.setColor(Color.WHITE);
        g.fillRect(rnd.nextInt(12), rnd.nextInt(12), 4, 4);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Every complete line of every session log of a run, per session file (sorted by name = start time). */
    static List<List<Trained>> sessions(Path outDir, String runId) {
        Path dir = ExampleLog.folder(outDir, runId);
        List<List<Trained>> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                out.add(read(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<Trained> read(Path file) {
        List<Trained> lines = new ArrayList<>();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int end = text.lastIndexOf('\n'); // a killed writer may leave a cut last line
        for (String line : text.substring(0, Math.max(0, end)).split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            lines.add(new Trained(Long.parseLong(f[0]), f[1].equals("rehearsal"), f[2], Integer.parseInt(f[3]), f[4]));
        }
        return lines;
    }
}
