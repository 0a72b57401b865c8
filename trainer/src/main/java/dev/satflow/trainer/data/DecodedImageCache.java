package dev.satflow.trainer.data;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Decoded model-size images of the questions trained on, so a question seen again (the next pass over the
 * topic, a rehearsal draw) is not decoded again: decoding and resampling a 512² PNG with its marks is most of
 * what a training step costs on the host. Keyed by question and view (marks are per question), bounded in
 * bytes. When full, a random entry makes room: passes revisit questions in the same order, where evicting the
 * least recently used would evict exactly the entry needed next and never hit.
 *
 * <p>Not thread-safe: the assembler calls it from the assembling thread only.
 */
final class DecodedImageCache {
    private final long capacityBytes;
    private final int imageBytes;
    private final Map<String, byte[]> images = new HashMap<>();
    private final List<String> keys = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(1);
    private long hits;
    private long misses;

    DecodedImageCache(long capacityBytes, int imageBytes) {
        this.capacityBytes = capacityBytes;
        this.imageBytes = imageBytes;
    }

    static String key(TrainingExample e, int view) {
        // the length guards against a reused question id with other images (a replay into the same topic)
        return e.qaId() + '#' + view + '#' + e.images().get(view).length;
    }

    /** Copies the cached image for {@code key} into {@code dst} at {@code offset}; false when absent. */
    boolean copyInto(String key, ByteBuffer dst, int offset) {
        byte[] image = images.get(key);
        if (image == null) {
            misses++;
            return false;
        }
        hits++;
        dst.put(offset, image, 0, imageBytes);
        return true;
    }

    /** Keeps a copy of the decoded image at {@code offset} of {@code src}. */
    void put(String key, ByteBuffer src, int offset) {
        if (capacityBytes < imageBytes || images.containsKey(key)) {
            return;
        }
        byte[] image;
        if ((long) (keys.size() + 1) * imageBytes > capacityBytes) {
            int victim = random.nextInt(keys.size());
            String evicted = keys.get(victim);
            image = images.remove(evicted); // reused for the new entry
            String last = keys.remove(keys.size() - 1);
            if (victim < keys.size()) {
                keys.set(victim, last);
            }
        } else {
            image = new byte[imageBytes];
        }
        src.get(offset, image, 0, imageBytes);
        images.put(key, image);
        keys.add(key);
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }
}
