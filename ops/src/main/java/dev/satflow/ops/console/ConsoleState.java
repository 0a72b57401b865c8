package dev.satflow.ops.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satflow.schema.Box2d;
import dev.satflow.schema.Checkpoint;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.Frame;
import dev.satflow.schema.FrameRef;
import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.TypeScore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the console knows, in bounded memory: the latest questions (a ring overall and one per
 * type, so a rare type still has cards to show when filtered on), the latest frames with their
 * pixels, the scenes' object descriptions (for the frames' box labels), every evaluation (one per
 * checkpoint), dead letters counted by stage and reason, per-topic arrival rates and the stages'
 * consumer lag. Fed by {@link ConsoleFeed} and {@link LagProbe}; read by the ticker and the HTTP
 * handlers. Every method is synchronized: the work under the lock is small.
 *
 * <p>Records read while catching up on history fill the rings and totals; only records that arrive
 * after (live ones) count towards rates and are pushed to open pages as new.
 */
final class ConsoleState {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Bounds of every collection (a long-lived console on a busy cluster stays this size). */
    record Limits(int recentCards, int cardsPerType, int types, int frames, int scenes, int evals, int dlqKeys,
            int dlqRecent, int history, int freshCards, int freshFrames) {
        static Limits defaults() {
            return new Limits(240, 48, 32, 24, 256, 400, 64, 20, 900, 400, 8);
        }
    }

    /** A question as the console holds it: where it is in the QA topic and the record (no pixels in satflow-qa/2). */
    record Card(long seq, int partition, long offset, long timestamp, QaRecord record) {
        String type() {
            return record.getQuestionType();
        }

        String split() {
            return record.getSplit();
        }
    }

    /** A frame with its pixels, as read from the frames topic. */
    record FrameEntry(long seq, int partition, long offset, long timestamp, Frame frame) {}

    /** Which cards a page wants: a type and a split, either empty for any. */
    record Filter(String type, String split) {
        static final Filter ALL = new Filter("", "");

        Filter {
            type = type == null ? "" : type.trim();
            split = split == null ? "" : split.trim();
        }

        boolean matches(Card c) {
            return (type.isEmpty() || type.equals(c.type())) && (split.isEmpty() || split.equals(c.split()));
        }
    }

    /** What changed since the last tick: the stats line and the live records to push to pages. */
    record Tick(ObjectNode stats, List<Card> cards, long cardsDropped, List<ObjectNode> frames, List<ObjectNode> evals) {}

    private final Limits limits;
    private long seq;

    private final Deque<Card> recent = new ArrayDeque<>();
    private final Map<String, Deque<Card>> byType = new LinkedHashMap<>();
    private final Map<String, Long> qaByType = new TreeMap<>();
    private final Map<String, Long> qaBySplit = new TreeMap<>();
    private long qaTotal;
    private final List<Card> freshCards = new ArrayList<>();
    private long freshDropped;

    private final Deque<FrameEntry> frames = new ArrayDeque<>();
    private final List<FrameEntry> freshFrames = new ArrayList<>();
    private final LinkedHashMap<String, Map<Integer, SceneObject>> sceneObjects = new LinkedHashMap<>(64, 0.75f, true);
    private long scenesTotal;
    private final Map<String, Long> scenesBySplit = new TreeMap<>();

    private final LinkedHashMap<String, ObjectNode> evals = new LinkedHashMap<>();
    private final List<ObjectNode> freshEvals = new ArrayList<>();

    private final Deque<Checkpoint> checkpoints = new ArrayDeque<>();
    private long checkpointsTotal;

    private long dlqTotal;
    private final LinkedHashMap<String, long[]> dlqCounts = new LinkedHashMap<>();
    private final Map<String, DeadLetter> dlqExample = new HashMap<>();
    private final Deque<ObjectNode> dlqRecent = new ArrayDeque<>();

    private final Map<String, Rate> rates = new LinkedHashMap<>();
    private final Map<String, Long> undecodable = new TreeMap<>();
    private boolean caughtUp;
    private String feedError;
    private LagProbe.Snapshot lag;
    private final Deque<ObjectNode> history = new ArrayDeque<>();
    private ObjectNode lastStats;

    ConsoleState(Limits limits) {
        this.limits = limits;
        for (String t : List.of("scenes", "frames", "qa", "checkpoints", "eval", "dlq")) {
            rates.put(t, new Rate());
        }
    }

    ConsoleState() {
        this(Limits.defaults());
    }

    // ---- feeding -------------------------------------------------------------------------------------

    synchronized void onScene(SceneSpec s, boolean live, long nowMs) {
        scenesTotal++;
        scenesBySplit.merge(s.getSplit(), 1L, Long::sum);
        Map<Integer, SceneObject> objects = new HashMap<>();
        s.getObjects().forEach(o -> objects.put(o.getId(), o));
        sceneObjects.put(s.getSceneId(), objects);
        trim(sceneObjects, limits.scenes());
        if (live) {
            rates.get("scenes").add(nowMs, 1);
        }
    }

    synchronized void onFrame(int partition, long offset, long timestamp, Frame f, boolean live, long nowMs) {
        FrameEntry e = new FrameEntry(++seq, partition, offset, timestamp, f);
        frames.addLast(e);
        while (frames.size() > limits.frames()) {
            frames.removeFirst();
        }
        if (live) {
            rates.get("frames").add(nowMs, 1);
            freshFrames.add(e);
            while (freshFrames.size() > limits.freshFrames()) {
                freshFrames.remove(0);
            }
        }
    }

    synchronized void onQa(int partition, long offset, long timestamp, QaRecord q, boolean live, long nowMs) {
        Card c = new Card(++seq, partition, offset, timestamp, q);
        qaTotal++;
        qaByType.merge(q.getQuestionType(), 1L, Long::sum);
        qaBySplit.merge(q.getSplit(), 1L, Long::sum);
        push(recent, c, limits.recentCards());
        Deque<Card> ring = byType.get(c.type());
        if (ring == null && byType.size() < limits.types()) {
            ring = new ArrayDeque<>();
            byType.put(c.type(), ring);
        }
        if (ring != null) {
            push(ring, c, limits.cardsPerType());
        }
        if (live) {
            rates.get("qa").add(nowMs, 1);
            freshCards.add(c);
            if (freshCards.size() > limits.freshCards()) {
                freshCards.remove(0);
                freshDropped++;
            }
        }
    }

    synchronized void onCheckpoint(Checkpoint c, boolean live, long nowMs) {
        checkpointsTotal++;
        checkpoints.addLast(c);
        while (checkpoints.size() > 2) {
            checkpoints.removeFirst();
        }
        if (live) {
            rates.get("checkpoints").add(nowMs, 1);
        }
    }

    synchronized void onEval(EvalReport r, boolean live, long nowMs) {
        ObjectNode point = evalJson(r);
        String key = r.getCheckpointId().isEmpty() ? r.getRunId() + "@" + r.getStep() : r.getCheckpointId();
        evals.remove(key); // the evaluator is at-least-once: a repeated report replaces the earlier one
        evals.put(key, point);
        trim(evals, limits.evals());
        if (live) {
            rates.get("eval").add(nowMs, 1);
        }
        freshEvals.add(point); // history too: a page opened before the console caught up still gets every point
        while (freshEvals.size() > limits.evals()) {
            freshEvals.remove(0);
        }
    }

    synchronized void onDeadLetter(int partition, long offset, long timestamp, DeadLetter d, boolean live, long nowMs) {
        dlqTotal++;
        String key = d.getStage() + "\u0000" + reason(d);
        long[] n = dlqCounts.get(key);
        if (n == null && dlqCounts.size() >= limits.dlqKeys()) {
            key = d.getStage() + "\u0000(other reasons)";
            n = dlqCounts.get(key);
        }
        if (n == null) {
            n = new long[2];
            dlqCounts.put(key, n);
        }
        n[0]++;
        n[1] = timestamp;
        dlqExample.put(key, d);
        ObjectNode o = JSON.createObjectNode();
        o.put("stage", d.getStage());
        o.put("topic", d.getSourceTopic());
        o.put("p", d.getPartition());
        o.put("o", d.getOffset());
        o.put("key", d.getKey());
        o.put("reason", reason(d));
        o.put("error", clip(d.getError(), 300));
        o.put("t", timestamp);
        o.put("at", partition + "@" + offset);
        push(dlqRecent, o, limits.dlqRecent());
        if (live) {
            rates.get("dlq").add(nowMs, 1);
        }
    }

    synchronized void onUndecodable(String topic) {
        undecodable.merge(topic, 1L, Long::sum);
    }

    synchronized void caughtUp(boolean v) {
        caughtUp = v;
    }

    synchronized void feedError(String error) {
        feedError = error;
    }

    synchronized void lag(LagProbe.Snapshot s) {
        lag = s;
    }

    // ---- reading -------------------------------------------------------------------------------------

    /** The newest {@code max} cards the filter matches, oldest first. */
    synchronized List<Card> cards(Filter f, int max) {
        Map<Card, Boolean> seen = new IdentityHashMap<>();
        List<Card> out = new ArrayList<>();
        List<Deque<Card>> rings = new ArrayList<>();
        rings.add(recent);
        if (!f.type().isEmpty()) {
            Deque<Card> t = byType.get(f.type());
            if (t != null) {
                rings.add(t);
            }
        } else {
            rings.addAll(byType.values());
        }
        for (Deque<Card> ring : rings) {
            for (Card c : ring) {
                if (f.matches(c) && seen.put(c, Boolean.TRUE) == null) {
                    out.add(c);
                }
            }
        }
        out.sort(Comparator.comparingLong(Card::seq));
        return out.size() > max ? new ArrayList<>(out.subList(out.size() - max, out.size())) : out;
    }

    /** The question at these QA-topic coordinates, if it is still held. */
    synchronized Optional<Card> card(int partition, long offset) {
        for (Card c : recent) {
            if (c.partition() == partition && c.offset() == offset) {
                return Optional.of(c);
            }
        }
        for (Deque<Card> ring : byType.values()) {
            for (Card c : ring) {
                if (c.partition() == partition && c.offset() == offset) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }

    /** The frame at these frames-topic coordinates, if it is among the latest held. */
    synchronized Optional<Frame> frame(int partition, long offset) {
        for (FrameEntry e : frames) {
            if (e.partition() == partition && e.offset() == offset) {
                return Optional.of(e.frame());
            }
        }
        return Optional.empty();
    }

    synchronized List<ObjectNode> frames(int max) {
        List<ObjectNode> out = new ArrayList<>();
        List<FrameEntry> all = new ArrayList<>(frames);
        for (FrameEntry e : all.subList(Math.max(0, all.size() - max), all.size())) {
            out.add(frameJson(e));
        }
        return out;
    }

    synchronized List<ObjectNode> evals() {
        List<ObjectNode> out = new ArrayList<>(evals.values());
        out.sort(Comparator.comparingLong(n -> n.path("step").asLong()));
        return out;
    }

    synchronized ArrayNode history() {
        ArrayNode a = JSON.createArrayNode();
        history.forEach(a::add);
        return a;
    }

    synchronized ObjectNode lastStats() {
        return lastStats != null ? lastStats : stats(System.currentTimeMillis());
    }

    // ---- ticking -------------------------------------------------------------------------------------

    /** The stats of this moment (also kept for the throughput history) and what arrived since the last tick. */
    synchronized Tick tick(long nowMs) {
        ObjectNode s = stats(nowMs);
        lastStats = s;
        ObjectNode h = JSON.createObjectNode();
        h.put("t", nowMs);
        h.set("rates", s.get("rates"));
        ObjectNode lagNow = h.putObject("lag");
        s.get("groups").forEach(g -> {
            if (g.path("started").asBoolean()) {
                lagNow.put(g.path("stage").asText(), g.path("lag").asLong());
            }
        });
        push(history, h, limits.history());
        List<Card> cards = List.copyOf(freshCards);
        long dropped = freshDropped;
        freshCards.clear();
        freshDropped = 0;
        List<ObjectNode> fr = new ArrayList<>();
        freshFrames.forEach(e -> fr.add(frameJson(e)));
        freshFrames.clear();
        List<ObjectNode> ev = List.copyOf(freshEvals);
        freshEvals.clear();
        return new Tick(s, cards, dropped, fr, ev);
    }

    private ObjectNode stats(long nowMs) {
        ObjectNode s = JSON.createObjectNode();
        s.put("t", nowMs);
        s.put("caughtUp", caughtUp);
        if (feedError != null) {
            s.put("feedError", feedError);
        }
        ObjectNode r = s.putObject("rates");
        rates.forEach((k, v) -> r.put(k, round(v.perSecond(nowMs, 5), 2)));
        ObjectNode tot = s.putObject("totals");
        tot.put("scenes", scenesTotal);
        tot.put("qa", qaTotal);
        tot.put("checkpoints", checkpointsTotal);
        tot.put("eval", evals.size());
        tot.put("dlq", dlqTotal);
        tot.put("framesLive", rates.get("frames").total());
        if (lag != null) {
            lag.topicRecords().forEach((topic, n) -> tot.put("offsets:" + topic, n));
        }
        ObjectNode types = s.putObject("qaByType");
        qaByType.forEach(types::put);
        ObjectNode splits = s.putObject("qaBySplit");
        qaBySplit.forEach(splits::put);
        ObjectNode sceneSplits = s.putObject("scenesBySplit");
        scenesBySplit.forEach(sceneSplits::put);
        ArrayNode groups = s.putArray("groups");
        if (lag != null) {
            for (LagProbe.GroupLag g : lag.groups()) {
                ObjectNode o = groups.addObject();
                o.put("stage", g.stage());
                o.put("group", g.group());
                o.put("inputs", String.join(", ", g.inputs()));
                o.put("lag", g.lag());
                o.put("started", g.started());
                o.put("members", g.members());
                o.put("state", g.state());
                o.put("consumed", round(g.consumedPerSecond(), 2));
            }
            if (lag.error() != null) {
                s.put("lagError", lag.error());
            }
        }
        ObjectNode train = s.putObject("train");
        if (!checkpoints.isEmpty()) {
            Checkpoint last = checkpoints.peekLast();
            train.put("checkpoint", last.getCheckpointId());
            train.put("step", last.getStep());
            train.put("loss", round(last.getTrainLoss(), 4));
            train.put("accuracy", round(last.getTrainAccuracy(), 4));
            train.put("samples", last.getSamplesSeen());
            Checkpoint first = checkpoints.peekFirst();
            long dt = last.getCreatedAtMs() - first.getCreatedAtMs();
            if (first != last && dt > 0 && last.getRunId().equals(first.getRunId())) {
                train.put("stepsPerSecond", round(1000.0 * (last.getStep() - first.getStep()) / dt, 3));
            }
        }
        ObjectNode dlq = s.putObject("dlq");
        dlq.put("total", dlqTotal);
        ArrayNode reasons = dlq.putArray("reasons");
        List<Map.Entry<String, long[]>> keys = new ArrayList<>(dlqCounts.entrySet());
        keys.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        for (Map.Entry<String, long[]> e : keys.subList(0, Math.min(20, keys.size()))) {
            String[] parts = e.getKey().split("\u0000", 2);
            ObjectNode o = reasons.addObject();
            o.put("stage", parts[0]);
            o.put("reason", parts[1]);
            o.put("count", e.getValue()[0]);
            o.put("last", e.getValue()[1]);
            DeadLetter ex = dlqExample.get(e.getKey());
            if (ex != null) {
                o.put("example", clip(ex.getError(), 200));
                o.put("from", ex.getSourceTopic() + " " + ex.getPartition() + "@" + ex.getOffset());
            }
        }
        ArrayNode rec = dlq.putArray("recent");
        dlqRecent.forEach(rec::add);
        ObjectNode und = s.putObject("undecodable");
        undecodable.forEach(und::put);
        return s;
    }

    // ---- JSON of records -----------------------------------------------------------------------------

    /** A card as pages get it: small (no pixels), with the image references to ask /img for. */
    static ObjectNode cardJson(Card c, String qaTopic) {
        QaRecord q = c.record();
        ObjectNode o = JSON.createObjectNode();
        o.put("topic", qaTopic);
        o.put("p", c.partition());
        o.put("o", c.offset());
        o.put("t", c.timestamp());
        o.put("id", q.getQaId());
        o.put("scene", q.getSceneId());
        o.put("type", q.getQuestionType());
        o.put("family", q.getFamily());
        o.put("split", q.getSplit());
        o.put("q", q.getQuestion());
        ArrayNode ch = o.putArray("choices");
        q.getChoices().forEach(ch::add);
        o.put("ci", q.getCorrectIndex());
        o.put("answer", q.getCorrectAnswer());
        o.put("tpl", q.getTemplate());
        o.put("held", q.getHeldOutPhrasing());
        ArrayNode imgs = o.putArray("imgs");
        if (!q.getFrames().isEmpty()) {
            for (FrameRef r : q.getFrames()) {
                ObjectNode i = imgs.addObject();
                i.put("topic", r.getTopic());
                i.put("p", r.getPartition());
                i.put("o", r.getOffset());
                i.put("view", r.getViewId());
            }
        } else {
            q.getImages().forEach(inline -> imgs.addObject().put("view", inline.getViewId())); // satflow-qa/1
        }
        return o;
    }

    private ObjectNode frameJson(FrameEntry e) {
        Frame f = e.frame();
        ObjectNode o = JSON.createObjectNode();
        o.put("p", e.partition());
        o.put("o", e.offset());
        o.put("t", e.timestamp());
        o.put("scene", f.getSceneId());
        o.put("view", f.getViewId());
        o.put("role", f.getRole());
        o.put("w", f.getIntrinsics().getWidth());
        o.put("h", f.getIntrinsics().getHeight());
        o.put("format", f.getImageFormat());
        o.put("ms", round(f.getRenderMillis(), 1));
        o.put("bytes", f.getImage().remaining());
        Map<Integer, SceneObject> objects = sceneObjects.getOrDefault(f.getSceneId(), Map.of());
        ArrayNode boxes = o.putArray("objects");
        for (ObjectAnnotation a : f.getObjects()) {
            Box2d b = a.getBox();
            if (b == null || a.getVisiblePixels() == 0) {
                continue;
            }
            SceneObject so = objects.get(a.getObjectId());
            ObjectNode x = boxes.addObject();
            x.put("id", a.getObjectId());
            x.put("label", so != null ? so.getDescription() : "#" + a.getObjectId());
            x.put("frac", round(a.getVisibleFraction(), 2));
            x.putArray("box").add(b.getXMin()).add(b.getYMin()).add(b.getXMax()).add(b.getYMax());
        }
        return o;
    }

    /** One checkpoint's scores: per type plain and circular accuracy, chance, the best blind baseline, n. */
    static ObjectNode evalJson(EvalReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", r.getCheckpointId());
        o.put("run", r.getRunId());
        o.put("step", r.getStep());
        o.put("split", r.getSplit());
        o.put("t", r.getCreatedAtMs());
        o.put("n", r.getCount());
        ObjectNode types = o.putObject("types");
        for (TypeScore s : r.getScores()) {
            types.set(s.getQuestionType(), score(s));
        }
        if (r.getOverall() != null) {
            types.set("all", score(r.getOverall()));
        } else {
            ObjectNode all = types.putObject("all");
            all.put("acc", round(r.getAccuracy(), 4));
            putNullable(all, "circ", r.getCircularAccuracy());
            all.put("chance", round(r.getChance(), 4));
            all.put("n", r.getCount());
        }
        return o;
    }

    private static ObjectNode score(TypeScore s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("acc", round(s.getAccuracy(), 4));
        putNullable(o, "circ", s.getCircularAccuracy());
        o.put("chance", round(s.getChance(), 4));
        putNullable(o, "blind", bestBlind(s));
        o.put("n", s.getCount());
        return o;
    }

    /**
     * The best question-only baseline, as the evaluator's report pages draw it: the larger of the
     * cross-validated text and text+categories models, or of the test-split ones where not cross-validated.
     */
    static Float bestBlind(TypeScore s) {
        Float cv = max(s.getBlindTextCv(), s.getBlindCategoryCv());
        return cv != null ? cv : max(s.getBlindText(), s.getBlindCategory());
    }

    private static Float max(Float a, Float b) {
        a = a == null || a.isNaN() ? null : a;
        b = b == null || b.isNaN() ? null : b;
        return a == null ? b : b == null ? a : Float.valueOf(Math.max(a, b));
    }

    private static void putNullable(ObjectNode o, String key, Float v) {
        if (v == null || v.isNaN()) {
            o.putNull(key);
        } else {
            o.put(key, round(v, 4));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static String reason(DeadLetter d) {
        if (d.getField() != null && !d.getField().isEmpty()) {
            return d.getField();
        }
        String c = d.getErrorClass();
        return c == null || c.isEmpty() ? "(no reason)" : c.substring(c.lastIndexOf('.') + 1);
    }

    private static String clip(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    static double round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return 0;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static <T> void push(Deque<T> ring, T item, int max) {
        ring.addLast(item);
        while (ring.size() > max) {
            ring.removeFirst();
        }
    }

    private static void trim(LinkedHashMap<?, ?> map, int max) {
        Iterator<?> it = map.keySet().iterator();
        while (map.size() > max && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
