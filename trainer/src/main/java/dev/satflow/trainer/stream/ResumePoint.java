package dev.satflow.trainer.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satflow.trainer.plan.PlanCursor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a checkpoint records about the stream and the plan, next to the parameters (in {@code trainer.json}'s
 * metadata, so it is written atomically with them).
 *
 * <p>Per QA partition ({@code "topic-partition"}): {@code positions} is the consumer's read position and
 * {@code pending} the offsets below it that were read but not yet trained (buffered, or waiting for room). Every
 * other train-split record below the position was trained (or passed over by the plan, or held out, or
 * dead-lettered) before the checkpoint. A resumed run seeks each partition to its lowest pending offset (else its
 * position) and skips the records below the position that are not pending: nothing the checkpoint's model has
 * seen is trained again, and nothing it has not seen is skipped.
 *
 * @param pass            the pass over the topic (1 = first read)
 * @param positions       partition -> read position
 * @param pending         partition -> offsets read but not yet trained, ascending
 * @param plan            the plan cursor's state
 * @param credits         the mixer's type credits (ratios continue without a seam)
 * @param rehearsalCredit the mixer's carried rehearsal fraction
 * @param planJson        the plan in force (a changed plan file is reported on resume)
 */
public record ResumePoint(int pass, Map<String, Long> positions, Map<String, List<Long>> pending,
        PlanCursor.State plan, Map<String, Double> credits, double rehearsalCredit, String planJson) {

    /** Metadata key in {@code trainer.json}. */
    public static final String KEY = "resume";

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ResumePoint {
        positions = new TreeMap<>(positions);
        pending = new TreeMap<>(pending);
        credits = new TreeMap<>(credits);
    }

    /** Where a partition's reading starts: its lowest pending offset, else its position; null if unknown. */
    public Long startOf(String partition) {
        List<Long> p = pending.get(partition);
        Long pos = positions.get(partition);
        if (p != null && !p.isEmpty()) {
            return pos == null ? p.get(0) : Math.min(p.get(0), pos);
        }
        return pos;
    }

    /** The lowest offset not yet trained per partition: the consumer-group commit and the Avro record's offsets. */
    public Map<String, Long> lowestUntrained() {
        Map<String, Long> out = new TreeMap<>();
        positions.keySet().forEach(k -> out.put(k, startOf(k)));
        return out;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ResumePoint fromJson(String json) {
        try {
            return JSON.readValue(json, ResumePoint.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable resume point: " + e.getOriginalMessage(), e);
        }
    }
}
