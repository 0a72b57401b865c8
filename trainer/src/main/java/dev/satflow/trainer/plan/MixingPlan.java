package dev.satflow.trainer.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satflow.trainer.data.Family;
import dev.satflow.trainer.data.QuestionCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the trainer feeds the model and when: a list of {@link Stage}s run one after another. Written as JSON
 * (or YAML when jackson-dataformat-yaml is on the classpath, as it is in the satflow CLI):
 *
 * <pre>{@code
 * {"stages": [
 *   {"name": "ground", "steps": 200,
 *    "weights": {"static": 0.75, "dynamic": 0.25},
 *    "rehearsal": 0,
 *    "lr": {"schedule": "warmup", "warmup": 50}},
 *   {"name": "mixed",
 *    "until": {"metric": "train_accuracy", "type": "left_right", "above": 0.9, "window": 500},
 *    "weights": {"left_right": 2, "relative_depth": 1, "dynamic": 3},
 *    "rehearsal": 0.1,
 *    "lr": {"schedule": "cosine", "peak": 0.001, "floor": 0.0001, "warmup": 0, "decay_steps": 3000}}
 * ]}
 * }</pre>
 *
 * <ul>
 *   <li>{@code steps} and/or {@code until} end a stage (whichever first); every stage but the last needs one. The
 *       last stage runs until the run ends; if it has a length and reaches it, training stays in it.</li>
 *   <li>{@code weights}: keys are question types or the family names {@code static}/{@code dynamic} (a family's
 *       weight is spread evenly over its six types and added to any type's own); normalised to sum 1; types left
 *       out get 0.</li>
 *   <li>{@code rehearsal}: share of each batch drawn from the reservoir of older examples (default 0).</li>
 *   <li>{@code lr}: see {@link LrSchedule}; {@code peak} defaults to {@code train.learning-rate}; default
 *       constant.</li>
 * </ul>
 * Unknown fields fail, naming the stage and the field.
 */
public final class MixingPlan {

    /** Resource of the built-in plan, shown in the README. */
    public static final String DEFAULT_RESOURCE = "default-plan.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STAGE_FIELDS = Set.of("name", "steps", "until", "weights", "rehearsal", "lr");
    private static final Set<String> UNTIL_FIELDS = Set.of("metric", "type", "above", "below", "window");
    private static final Set<String> LR_FIELDS = Set.of("schedule", "peak", "floor", "warmup", "decay_steps");

    private final List<Stage> stages;
    private final String origin;

    public MixingPlan(List<Stage> stages, String origin) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException(origin + ": a plan needs at least one stage");
        }
        for (int i = 0; i < stages.size() - 1; i++) {
            if (!stages.get(i).bounded()) {
                throw new IllegalArgumentException(origin + ": stages[" + i + "] ('" + stages.get(i).name()
                        + "') needs steps or until: only the last stage may run open-ended");
            }
        }
        this.stages = List.copyOf(stages);
        this.origin = origin;
    }

    public List<Stage> stages() {
        return stages;
    }

    public Stage stage(int index) {
        return stages.get(index);
    }

    public int size() {
        return stages.size();
    }

    /** Where the plan came from: "built-in default" or the file. */
    public String origin() {
        return origin;
    }

    /** The built-in plan. */
    public static MixingPlan defaultPlan() {
        try (InputStream in = MixingPlan.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
            }
            return parse(JSON.readTree(in), "built-in default plan");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built-in plan's text. */
    public static String defaultPlanText() {
        try (InputStream in = MixingPlan.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a plan file: JSON, or YAML for {@code .yaml}/{@code .yml} names. */
    public static MixingPlan load(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("plan file " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read plan file " + file, e);
        }
        try {
            return parse((yaml ? yamlMapper() : JSON).readTree(text), file.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid " + (yaml ? "YAML" : "JSON") + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Parses a plan from JSON text. */
    public static MixingPlan parse(String json, String origin) {
        try {
            return parse(JSON.readTree(json), origin);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectMapper yamlMapper() {
        try {
            Class<?> factory = Class.forName("com.fasterxml.jackson.dataformat.yaml.YAMLFactory");
            return new ObjectMapper((JsonFactory) factory.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException("YAML plans need jackson-dataformat-yaml on the classpath; "
                    + "write the plan as JSON instead");
        }
    }

    public static MixingPlan parse(JsonNode root, String origin) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(origin + ": expected an object with a 'stages' list");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("stages")) {
                throw new IllegalArgumentException(origin + ": unknown field '" + f + "' (expected 'stages')");
            }
        }
        JsonNode list = root.get("stages");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(origin + ": 'stages' must be a non-empty list");
        }
        List<Stage> stages = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode s = list.get(i);
            String where = origin + ": stages[" + i + "]";
            try {
                stages.add(stage(s, i));
            } catch (IllegalArgumentException e) {
                String name = s != null && s.hasNonNull("name") ? " ('" + s.get("name").asText() + "')" : "";
                throw new IllegalArgumentException(where + name + ": " + e.getMessage(), e);
            }
        }
        return new MixingPlan(stages, origin);
    }

    private static Stage stage(JsonNode s, int index) {
        if (s == null || !s.isObject()) {
            throw new IllegalArgumentException("expected an object");
        }
        knownFields(s, STAGE_FIELDS, "");
        String name = s.hasNonNull("name") ? s.get("name").asText() : "stage-" + index;
        long steps = 0;
        if (s.has("steps")) {
            steps = positiveLong(s.get("steps"), "steps");
        }
        Until until = s.has("until") ? until(s.get("until")) : null;
        JsonNode w = s.get("weights");
        if (w == null || !w.isObject() || w.isEmpty()) {
            throw new IllegalArgumentException("weights: expected an object of question type (or static/dynamic) "
                    + "-> weight");
        }
        Map<String, Double> weights = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = w.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNumber()) {
                throw new IllegalArgumentException("weights." + e.getKey() + ": expected a number");
            }
            double v = e.getValue().asDouble();
            if (!(v >= 0)) {
                throw new IllegalArgumentException("weights." + e.getKey() + " = " + v + ": expected >= 0");
            }
            String key = e.getKey();
            if (key.equals("static") || key.equals("dynamic")) {
                List<String> types = QuestionCatalog.of(Family.parse(key));
                for (String t : types) {
                    weights.merge(t, v / types.size(), Double::sum);
                }
            } else {
                weights.merge(key, v, Double::sum);
            }
        }
        double rehearsal = 0;
        if (s.has("rehearsal")) {
            if (!s.get("rehearsal").isNumber()) {
                throw new IllegalArgumentException("rehearsal: expected a fraction in [0, 1)");
            }
            rehearsal = s.get("rehearsal").asDouble();
        }
        LrSchedule lr = s.has("lr") ? lr(s.get("lr")) : LrSchedule.CONSTANT;
        return new Stage(name, steps, until, weights, rehearsal, lr);
    }

    private static Until until(JsonNode u) {
        if (!u.isObject()) {
            throw new IllegalArgumentException("until: expected an object {metric, type?, above|below, window}");
        }
        knownFields(u, UNTIL_FIELDS, "until.");
        if (!u.hasNonNull("metric")) {
            throw new IllegalArgumentException("until.metric: missing (train_accuracy or loss)");
        }
        Until.Metric metric;
        try {
            metric = Until.Metric.parse(u.get("metric").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("until." + e.getMessage());
        }
        String type = null;
        if (u.hasNonNull("type")) {
            type = u.get("type").asText();
            if (!QuestionCatalog.known(type)) {
                throw new IllegalArgumentException("until.type = '" + type + "': not a question type (one of "
                        + QuestionCatalog.ALL + ")");
            }
        }
        if (u.has("above") == u.has("below")) {
            throw new IllegalArgumentException("until: give exactly one of 'above' or 'below'");
        }
        String side = u.has("above") ? "above" : "below";
        if (!u.get(side).isNumber()) {
            throw new IllegalArgumentException("until." + side + ": expected a number");
        }
        if (!u.has("window")) {
            throw new IllegalArgumentException("until.window: missing (examples averaged over)");
        }
        long window = positiveLong(u.get("window"), "until.window");
        if (window > 1_000_000) {
            throw new IllegalArgumentException("until.window = " + window + ": at most 1000000");
        }
        return new Until(metric, type, u.has("above"), u.get(side).asDouble(), (int) window);
    }

    private static LrSchedule lr(JsonNode l) {
        if (!l.isObject()) {
            throw new IllegalArgumentException("lr: expected an object {schedule, peak?, floor?, warmup?, "
                    + "decay_steps?}");
        }
        knownFields(l, LR_FIELDS, "lr.");
        String kind = l.hasNonNull("schedule") ? l.get("schedule").asText() : "constant";
        LrSchedule.Kind k = switch (kind) {
            case "constant" -> LrSchedule.Kind.CONSTANT;
            case "warmup", "linear-warmup" -> LrSchedule.Kind.WARMUP;
            case "cosine" -> LrSchedule.Kind.COSINE;
            default -> throw new IllegalArgumentException("lr.schedule = '" + kind
                    + "': expected constant, warmup or cosine");
        };
        Double peak = l.has("peak") ? number(l.get("peak"), "lr.peak") : null;
        Double floor = l.has("floor") ? number(l.get("floor"), "lr.floor") : null;
        long warmup = l.has("warmup") ? nonNegativeLong(l.get("warmup"), "lr.warmup") : 0;
        long decay = l.has("decay_steps") ? nonNegativeLong(l.get("decay_steps"), "lr.decay_steps") : 0;
        try {
            return new LrSchedule(k, peak, floor, warmup, decay);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("lr." + e.getMessage());
        }
    }

    private static void knownFields(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + prefix + f + "' (known: " + known + ")");
            }
        }
    }

    private static double number(JsonNode n, String field) {
        if (!n.isNumber()) {
            throw new IllegalArgumentException(field + ": expected a number");
        }
        return n.asDouble();
    }

    private static long positiveLong(JsonNode n, String field) {
        long v = nonNegativeLong(n, field);
        if (v < 1) {
            throw new IllegalArgumentException(field + " = " + v + ": expected >= 1");
        }
        return v;
    }

    private static long nonNegativeLong(JsonNode n, String field) {
        if (!n.isIntegralNumber() || n.asLong() < 0) {
            throw new IllegalArgumentException(field + " = " + n + ": expected a whole number >= 0");
        }
        return n.asLong();
    }

    /** The same plan with every stage's family split rescaled (the {@code train.dynamic-fraction} override). */
    public MixingPlan withDynamicShare(double dynamicShare) {
        List<Stage> out = new ArrayList<>();
        for (Stage s : stages) {
            out.add(s.withDynamicShare(dynamicShare));
        }
        return new MixingPlan(out, origin + " (dynamic share " + dynamicShare + ")");
    }

    /** Canonical JSON of the normalised plan (per-type weights), as stored with checkpoints. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("stages");
        for (Stage s : stages) {
            ObjectNode o = list.addObject();
            o.put("name", s.name());
            if (s.steps() > 0) {
                o.put("steps", s.steps());
            }
            if (s.until() != null) {
                ObjectNode u = o.putObject("until");
                u.put("metric", s.until().metric().wireName());
                if (s.until().type() != null) {
                    u.put("type", s.until().type());
                }
                u.put(s.until().above() ? "above" : "below", s.until().threshold());
                u.put("window", s.until().window());
            }
            ObjectNode w = o.putObject("weights");
            s.weights().forEach(w::put);
            o.put("rehearsal", s.rehearsal());
            ObjectNode l = o.putObject("lr");
            l.put("schedule", s.lr().kind().wireName());
            if (s.lr().peak() != null) {
                l.put("peak", s.lr().peak());
            }
            if (s.lr().floor() != null) {
                l.put("floor", s.lr().floor());
            }
            l.put("warmup", s.lr().warmup());
            l.put("decay_steps", s.lr().decaySteps());
        }
        return root.toString();
    }

    /** One line per stage, for logs. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            Stage s = stages.get(i);
            String length = s.steps() > 0 && s.until() != null ? s.steps() + " steps or until " + s.until()
                    : s.steps() > 0 ? s.steps() + " steps" : s.until() != null ? "until " + s.until() : "open-ended";
            Map<String, String> w = new LinkedHashMap<>();
            s.weights().forEach((t, v) -> w.put(t, String.format(Locale.ROOT, "%.3f", v)));
            out.add(String.format(Locale.ROOT, "stage %d '%s': %s; static %.2f dynamic %.2f; rehearsal %.2f; lr %s; "
                    + "weights %s", i, s.name(), length, s.familyShare(Family.STATIC), s.familyShare(Family.DYNAMIC),
                    s.rehearsal(), s.lr().kind().wireName(), w));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MixingPlan p && p.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return origin + " " + toJson();
    }
}
