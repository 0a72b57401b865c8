package dev.satflow.ops.console;

import dev.satflow.contracts.Topics;
import dev.satflow.core.frames.FrameCoordinates;
import dev.satflow.core.frames.FrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.core.marks.MarkPainter;
import dev.satflow.schema.Frame;
import dev.satflow.schema.FrameRef;
import dev.satflow.schema.QaRecord;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Images by reference, for {@code /img}: a frame by its coordinates in the frames topic, or image
 * {@code i} of a question (named by its coordinates in the QA topic) with the question's marks
 * drawn by the shared painter, through the same resolver every other consumer uses
 * ({@link QuestionImages}, which checks that each frame is the view the question names). Optionally
 * scaled down to a width. Results are cached by request (records at an offset never change) in
 * bounded memory, and at most {@code concurrency} images are made at once, so image requests from
 * many pages cannot take the machine from the pipeline.
 */
final class ImageService {
    /** An answer: bytes and their media type. */
    record Image(String contentType, byte[] bytes) {}

    /** A request that names nothing the console can find (404). */
    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    /** A request that is malformed or contradicts itself (400). */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** Too many images in the making (503). */
    static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message);
        }
    }

    private final ConsoleState state;
    private final RecordLookup reader;
    private final Topics topics;
    private final Semaphore slots;
    private final BytesLru<String, Image> made;
    private final BytesLru<FrameCoordinates, Frame> frames;
    private final FrameSource frameSource = this::fetchFrames;

    ImageService(ConsoleState state, RecordLookup reader, Topics topics, long madeCacheBytes, long frameCacheBytes,
            int concurrency) {
        this.state = state;
        this.reader = reader;
        this.topics = topics;
        this.slots = new Semaphore(concurrency);
        this.made = new BytesLru<>(madeCacheBytes, img -> img.bytes().length);
        this.frames = new BytesLru<>(frameCacheBytes, f -> f.getImage().remaining());
    }

    /**
     * {@code topic, partition, offset}: a frame; with {@code qa=P@O} and {@code i}: that question's image i
     * with its marks (the frame coordinates, when given, must be the ones the question names for image i;
     * satflow-qa/1 questions carry their images and need none); {@code w}: at most this wide.
     */
    Image image(Map<String, String> q) {
        String key = canonical(q);
        Image hit = made.get(key);
        if (hit != null) {
            return hit;
        }
        try {
            if (!slots.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new Busy("too many images in the making; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy("interrupted");
        }
        try {
            Image img = q.containsKey("qa") ? questionImage(q) : frameImage(q);
            made.put(key, img);
            return img;
        } finally {
            slots.release();
        }
    }

    private Image questionImage(Map<String, String> q) {
        long[] at = coordinates(q.get("qa"));
        int i = integer(q, "i", 0);
        QaRecord record = question((int) at[0], at[1]).orElseThrow(() -> new NotFound(topics.qa().name() + " "
                + at[0] + "@" + at[1] + ": no question there"));
        int count = record.getFrames().isEmpty() ? record.getImages().size() : record.getFrames().size();
        if (i < 0 || i >= count) {
            throw new NotFound("question " + record.getQaId() + " has " + count + " image(s), not image " + i);
        }
        if (q.containsKey("offset") && !record.getFrames().isEmpty()) {
            FrameRef ref = record.getFrames().get(i);
            String topic = q.getOrDefault("topic", topics.frames().name());
            if (!ref.getTopic().equals(topic) || ref.getPartition() != integer(q, "partition", -1)
                    || ref.getOffset() != longValue(q, "offset")) {
                throw new BadRequest("image " + i + " of question " + record.getQaId() + " is " + ref.getTopic() + " "
                        + ref.getPartition() + "@" + ref.getOffset() + ", not " + topic + " " + q.get("partition") + "@"
                        + q.get("offset"));
            }
        }
        List<QuestionImages.Image> images;
        try {
            images = new QuestionImages(frameSource).images(record);
        } catch (IllegalArgumentException e) {
            throw new NotFound(e.getMessage());
        }
        BufferedImage painted = images.get(i).painted();
        return new Image("image/png", MarkPainter.encodePng(scaled(painted, integer(q, "w", 0))));
    }

    private Image frameImage(Map<String, String> q) {
        String topic = q.getOrDefault("topic", "");
        if (!topic.equals(topics.frames().name())) {
            throw new NotFound("topic " + topic + ": images come from " + topics.frames().name());
        }
        FrameCoordinates c = new FrameCoordinates(topic, integer(q, "partition", -1), longValue(q, "offset"));
        Frame f = fetchFrames(List.of(c)).get(c);
        if (f == null) {
            throw new NotFound(c + ": no frame there");
        }
        byte[] stored = bytes(f);
        int w = integer(q, "w", 0);
        if (w <= 0 || w >= f.getIntrinsics().getWidth()) {
            return new Image("jpeg".equalsIgnoreCase(f.getImageFormat()) ? "image/jpeg" : "image/png", stored);
        }
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(stored));
            if (img == null) {
                throw new NotFound(c + ": the frame's bytes do not decode");
            }
            return new Image("image/png", MarkPainter.encodePng(scaled(img, w)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The question from the console's rings, or read from the QA topic. */
    Optional<QaRecord> question(int partition, long offset) {
        Optional<ConsoleState.Card> held = state.card(partition, offset);
        if (held.isPresent()) {
            return Optional.of(held.get().record());
        }
        for (ConsumerRecord<String, byte[]> r : reader.readAt(topics.qa().name(), partition, offset)) {
            if (r.offset() == offset) {
                try {
                    return Optional.ofNullable(topics.qa().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                } catch (RuntimeException e) {
                    throw new NotFound(topics.qa().name() + " " + partition + "@" + offset + " does not decode: "
                            + e.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    /** Frames from the console's latest, the cache, or the topic (caching the neighbours a read brings along). */
    private Map<FrameCoordinates, Frame> fetchFrames(Collection<FrameCoordinates> wanted) {
        Map<FrameCoordinates, Frame> out = new HashMap<>();
        for (FrameCoordinates c : wanted) {
            Frame f = state.frame(c.partition(), c.offset()).orElseGet(() -> frames.get(c));
            if (f == null && c.topic().equals(topics.frames().name())) {
                for (ConsumerRecord<String, byte[]> r : reader.readAt(c.topic(), c.partition(), c.offset())) {
                    try {
                        Frame read = topics.frames().valueSerde().deserializer().deserialize(r.topic(), r.value());
                        frames.put(new FrameCoordinates(r.topic(), r.partition(), r.offset()), read);
                        if (r.offset() == c.offset()) {
                            f = read;
                        }
                    } catch (RuntimeException e) {
                        // not a frame: the reference resolves to nothing
                    }
                }
            }
            if (f != null) {
                out.put(c, f);
            }
        }
        return out;
    }

    static BufferedImage scaled(BufferedImage img, int width) {
        if (width <= 0 || width >= img.getWidth()) {
            return img;
        }
        BufferedImage cur = img;
        while (cur.getWidth() / 2 >= width) { // halve first: one bilinear step over a large factor aliases
            cur = resize(cur, cur.getWidth() / 2, Math.max(1, cur.getHeight() / 2));
        }
        int h = Math.max(1, Math.round((float) img.getHeight() * width / img.getWidth()));
        return cur.getWidth() == width ? cur : resize(cur, width, h);
    }

    private static BufferedImage resize(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** "P@O" as {partition, offset}. */
    static long[] coordinates(String s) {
        int at = s == null ? -1 : s.indexOf('@');
        if (at <= 0) {
            throw new BadRequest("qa = '" + s + "': expected PARTITION@OFFSET of the question in the QA topic");
        }
        try {
            long offset = Long.parseLong(s.substring(at + 1));
            int partition = Integer.parseInt(s.substring(0, at));
            if (offset < 0 || partition < 0) {
                throw new NumberFormatException();
            }
            return new long[] {partition, offset};
        } catch (NumberFormatException e) {
            throw new BadRequest("qa = '" + s + "': expected PARTITION@OFFSET of the question in the QA topic");
        }
    }

    static int integer(Map<String, String> q, String key, int dflt) {
        String v = q.get(key);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BadRequest(key + " = '" + v + "': expected an integer");
        }
    }

    static long longValue(Map<String, String> q, String key) {
        String v = q.get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw new BadRequest(key + " = '" + v + "': expected an offset");
        }
    }

    private static String canonical(Map<String, String> q) {
        StringBuilder b = new StringBuilder();
        for (String k : List.of("topic", "partition", "offset", "qa", "i", "w")) {
            b.append(k).append('=').append(q.getOrDefault(k, "")).append('&');
        }
        return b.toString();
    }

    /** The stored image bytes of a frame. */
    static byte[] bytes(Frame f) {
        byte[] out = new byte[f.getImage().remaining()];
        f.getImage().duplicate().get(out);
        return out;
    }

    /** A least-recently-used map bounded by the bytes of its values. */
    static final class BytesLru<K, V> {
        private final long max;
        private final ToLongFunction<V> size;
        private final LinkedHashMap<K, V> map = new LinkedHashMap<>(64, 0.75f, true);
        private long bytes;

        BytesLru(long max, ToLongFunction<V> size) {
            this.max = max;
            this.size = size;
        }

        synchronized V get(K k) {
            return map.get(k);
        }

        synchronized void put(K k, V v) {
            long s = size.applyAsLong(v);
            if (s > max) {
                return;
            }
            V old = map.put(k, v);
            if (old != null) {
                bytes -= size.applyAsLong(old);
            }
            bytes += s;
            Iterator<Map.Entry<K, V>> it = map.entrySet().iterator();
            while (bytes > max && it.hasNext()) {
                Map.Entry<K, V> e = it.next();
                bytes -= size.applyAsLong(e.getValue());
                it.remove();
            }
        }

        synchronized long bytes() {
            return bytes;
        }

        synchronized int size() {
            return map.size();
        }
    }
}
