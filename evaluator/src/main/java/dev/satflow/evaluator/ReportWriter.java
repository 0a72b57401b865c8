package dev.satflow.evaluator;

import static dev.satflow.core.html.Html.esc;
import static dev.satflow.core.html.Html.head;
import static dev.satflow.core.html.Html.safe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.TypeScore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes what a person reads after an evaluation: {@code report.json} (machine-readable),
 * {@code report.html} (per type: accuracy, circular accuracy, chance, answer prior, blind baselines,
 * held-out vs seen phrasing; then the gallery of mistakes with their marked images, the model's choice
 * and the right one), and an {@code index.html} one level up with learning curves per type (plain and
 * circular, chance and blind as reference lines) over every checkpoint of the newest run.
 */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The gallery's image folder under the reports root, shared by every checkpoint. */
    public static final String IMAGES = "img";

    private ReportWriter() {}

    /**
     * What a caller adds to a report: {@code json} under {@code key} in report.json, and {@code html} (markup, its
     * text already escaped) under the headline of report.html; either may be null.
     */
    public record Extra(String key, ObjectNode json, String html) {
        public static final Extra NONE = new Extra(null, null, null);
    }

    /** Writes into {@code root/<checkpointId>/}; returns the report.html path. */
    public static Path write(Path root, EvalReport report, MistakeGallery gallery, CircularScorer.Held held,
            int chunk) {
        return write(root, report, gallery, held, chunk, Extra.NONE);
    }

    /** As above, with {@code extra} in both files. */
    public static Path write(Path root, EvalReport report, MistakeGallery gallery, CircularScorer.Held held,
            int chunk, Extra extra) {
        try {
            Path dir = root.resolve(safe(report.getCheckpointId()));
            Files.createDirectories(dir);
            ObjectNode json = toJson(report);
            json.set("evaluation", evaluationJson(report, held, chunk));
            json.set("gallery", galleryJson(report, gallery));
            if (extra.key() != null && extra.json() != null) {
                json.set(extra.key(), extra.json());
            }
            Files.writeString(dir.resolve("report.json"), JSON.writeValueAsString(json));
            Files.writeString(dir.resolve("report.html"), html(report, gallery, held, chunk, extra.html()));
            writeIndex(root);
            return dir.resolve("report.html");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write evaluation report under " + root, e);
        }
    }

    /** The report as JSON: the headline figures, then {@code types} and {@code all} as {@link #toJson(TypeScore)}. */
    public static ObjectNode toJson(EvalReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("checkpointId", r.getCheckpointId());
        o.put("runId", r.getRunId());
        o.put("step", r.getStep());
        o.put("split", r.getSplit());
        o.put("count", r.getCount());
        o.put("accuracy", round(r.getAccuracy()));
        put(o, "circular_accuracy", r.getCircularAccuracy());
        o.put("chance", round(r.getChance()));
        if (r.getOverall() != null) {
            o.put("answer_prior", round(r.getOverall().getMajority()));
        }
        o.put("blind_records", r.getBlindRecords());
        ObjectNode types = o.putObject("types");
        for (TypeScore s : r.getScores()) {
            types.set(s.getQuestionType(), toJson(s));
        }
        if (r.getOverall() != null) {
            o.set("all", toJson(r.getOverall()));
        }
        o.put("eval_seconds", round(r.getEvalSeconds()));
        o.put("createdAtMs", r.getCreatedAtMs());
        return o;
    }

    /**
     * One type's figures: {@code count, correct, accuracy, circular_correct, circular_accuracy, chance,
     * majority} (= {@code answer_prior}), {@code blind: {test: {text, category, n}, cv: {text, category, n,
     * noise}}}, {@code heldout_phrasing_accuracy/_circular_accuracy/_n}, {@code seen_phrasing_accuracy/_n};
     * null where not measured.
     */
    public static ObjectNode toJson(TypeScore s) {
        ObjectNode t = JSON.createObjectNode();
        t.put("count", s.getCount());
        t.put("correct", s.getCorrect());
        t.put("accuracy", round(s.getAccuracy()));
        t.put("circular_correct", s.getCircularCorrect());
        put(t, "circular_accuracy", s.getCircularAccuracy());
        t.put("chance", round(s.getChance()));
        t.put("majority", round(s.getMajority()));
        t.put("answer_prior", round(s.getMajority()));
        ObjectNode blind = t.putObject("blind");
        ObjectNode test = blind.putObject("test");
        put(test, "text", s.getBlindText());
        put(test, "category", s.getBlindCategory());
        test.put("n", s.getBlindCount());
        ObjectNode cv = blind.putObject("cv");
        put(cv, "text", s.getBlindTextCv());
        put(cv, "category", s.getBlindCategoryCv());
        cv.put("n", s.getBlindCvCount());
        put(cv, "noise", s.getBlindCvNoise());
        put(t, "heldout_phrasing_accuracy", s.getHeldOutPhrasingAccuracy());
        put(t, "heldout_phrasing_circular_accuracy", s.getHeldOutPhrasingCircularAccuracy());
        t.put("heldout_phrasing_n", s.getHeldOutPhrasingCount());
        put(t, "seen_phrasing_accuracy", s.getSeenPhrasingAccuracy());
        t.put("seen_phrasing_n", s.getSeenPhrasingCount());
        return t;
    }

    private static ObjectNode evaluationJson(EvalReport r, CircularScorer.Held held, int chunk) {
        ObjectNode e = JSON.createObjectNode();
        e.put("seconds", round(r.getEvalSeconds()));
        e.put("chunk", chunk);
        e.put("questions", held.questions());
        e.put("orders", held.presentations());
        e.put("skipped", held.skipped());
        e.put("chunks", held.chunks());
        e.put("resolve_seconds", round(held.resolveSeconds()));
        e.put("predict_seconds", round(held.predictSeconds()));
        e.put("report_seconds", round(held.observeSeconds()));
        ObjectNode h = e.putObject("held_at_most");
        h.put("questions", held.maxQuestions());
        h.put("images", held.maxImages());
        h.put("image_bytes", held.maxImageBytes());
        h.put("orders", held.maxPresentations());
        return e;
    }

    private static ObjectNode galleryJson(EvalReport r, MistakeGallery gallery) {
        ObjectNode g = JSON.createObjectNode();
        for (TypeScore s : r.getScores()) {
            String t = s.getQuestionType();
            ObjectNode o = g.putObject(t);
            o.put("mistakes", gallery.seen(t, MistakeGallery.Kind.MISTAKE));
            o.put("right_as_shown_only", gallery.seen(t, MistakeGallery.Kind.ORDER));
            o.put("shown", gallery.cards().getOrDefault(t, List.of()).size());
        }
        return g;
    }

    private static void put(ObjectNode o, String key, Float v) {
        if (v == null || v.isNaN()) {
            o.putNull(key);
        } else {
            o.put(key, round(v));
        }
    }

    static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    // ---- report.html ---------------------------------------------------------------------------------

    private static String pct(Float v) {
        return v == null || v.isNaN() ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String html(EvalReport r, MistakeGallery gallery, CircularScorer.Held held, int chunk,
            String extra) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append(head("satflow evaluation · " + r.getCheckpointId()));
        h.append("<h1>Evaluation of <code>").append(esc(r.getCheckpointId())).append("</code></h1>\n");
        TypeScore all = r.getOverall();
        h.append(String.format(Locale.ROOT, "<p>run <b>%s</b>, step <b>%d</b>, split <b>%s</b>: %d questions, "
                + "accuracy <b>%s</b>, circular accuracy <b>%s</b> (right in every order of the options) vs chance "
                + "%s, answer prior %s, blind %s. <a href=\"../index.html\">learning curves, all checkpoints</a></p>%n",
                esc(r.getRunId()), r.getStep(), esc(r.getSplit()), r.getCount(), pct(r.getAccuracy()),
                pct(r.getCircularAccuracy()), pct(r.getChance()), all == null ? "–" : pct(all.getMajority()),
                all == null ? "–" : pct(best(all))));
        if (extra != null) {
            h.append(extra).append('\n');
        }
        h.append("<table><tr><th>question type</th><th>n</th><th>accuracy</th><th>circular</th><th>chance</th>"
                + "<th>answer prior</th><th>blind text</th><th>blind cat.</th><th>blind text cv</th>"
                + "<th>blind cat. cv</th><th>held-out phrasing</th><th>seen phrasing</th><th></th></tr>\n");
        List<TypeScore> rows = new ArrayList<>(r.getScores());
        if (all != null) {
            rows.add(all);
        }
        for (TypeScore s : rows) {
            boolean isAll = "all".equals(s.getQuestionType());
            h.append(String.format(Locale.ROOT, "<tr%s><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td>"
                    + "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s (%d)</td><td>%s (%d)</td>"
                    + "<td>%s</td></tr>%n", isAll ? " style=\"font-weight:bold\"" : "", esc(s.getQuestionType()),
                    s.getCount(), pct(s.getAccuracy()), pct(s.getCircularAccuracy()), pct(s.getChance()),
                    pct(s.getMajority()), pct(s.getBlindText()), pct(s.getBlindCategory()), pct(s.getBlindTextCv()),
                    pct(s.getBlindCategoryCv()), pct(s.getHeldOutPhrasingAccuracy()), s.getHeldOutPhrasingCount(),
                    pct(s.getSeenPhrasingAccuracy()), s.getSeenPhrasingCount(), bar(s)));
        }
        h.append("</table>\n<p class=note>circular: a question counts only if it is answered right in every cyclic "
                + "rotation of its options (2 orders for 2 options, 5 for 5). answer prior: always giving the type's "
                + "most common right answer. blind: question-only models (text; text + the named objects' "
                + "categories) trained on split train and scored on split test; cv: the same 5-fold "
                + "cross-validated by scene over every split")
                .append(r.getBlindRecords() > 0 ? " (" + r.getBlindRecords() + " QA records)" : " (not computed)")
                .append(". Held-out phrasing: templates never used for training. Bar: accuracy (green), circular "
                        + "(blue), chance (black tick), answer prior (grey tick), best blind (orange tick).</p>\n");
        h.append(String.format(Locale.ROOT, "<p class=note>%s, %.1f s, chunks of %d questions.</p>%n",
                esc(held.toString()), r.getEvalSeconds(), chunk));
        h.append("<h2>Gallery</h2>\n<p class=note>Per type: the first mistakes (wrong with the options in the "
                + "record's order), then questions right as shown but wrong once the options were rotated, then a "
                + "few right in every order. Green: the right answer; red: the model's wrong choice; under it what "
                + "the model picked with the options in each rotation.</p>\n");
        for (Map.Entry<String, List<MistakeGallery.Card>> e : gallery.cards().entrySet()) {
            String t = e.getKey();
            h.append(String.format(Locale.ROOT, "<h3>%s</h3><p class=note>%d mistakes, %d right only as shown</p>"
                    + "<div class=row>%n", esc(t), gallery.seen(t, MistakeGallery.Kind.MISTAKE),
                    gallery.seen(t, MistakeGallery.Kind.ORDER)));
            List<MistakeGallery.Card> cards = new ArrayList<>(e.getValue());
            cards.sort(Comparator.comparing(MistakeGallery.Card::kind));
            for (MistakeGallery.Card c : cards) {
                card(h, c);
            }
            h.append("</div>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static void card(StringBuilder h, MistakeGallery.Card c) {
        String label = switch (c.kind()) {
            case MISTAKE -> "<b class=wrong>mistake</b>";
            case ORDER -> "<b style=\"color:#a60\">right only as shown</b>";
            case RIGHT -> "<b class=right>right in every order</b>";
        };
        h.append("<div class=card><p class=small>").append(label).append(" · <code>").append(esc(c.qaId()))
                .append("</code>").append(c.heldOutPhrasing() ? " · held-out phrasing" : "").append("</p>");
        for (String img : c.images()) {
            h.append("<img src=\"../" + IMAGES + "/").append(esc(img)).append("\">");
        }
        h.append("<p>").append(esc(c.question())).append("</p><ol start=0>");
        int predicted = c.picks()[0];
        for (int i = 0; i < c.choices().size(); i++) {
            String cls = i == c.correctIndex() ? "right" : i == predicted ? "wrong" : "";
            h.append("<li class=\"").append(cls).append("\">").append(esc(c.choices().get(i)))
                    .append(i == predicted ? " ◀ model" : "").append(i == c.correctIndex() ? " ✓" : "")
                    .append("</li>");
        }
        h.append("</ol><p class=small>model per order:");
        int[] picks = c.picks();
        for (int k = 0; k < picks.length; k++) {
            h.append(k == 0 ? " " : " · ").append(esc(c.choices().get(picks[k])))
                    .append(picks[k] == c.correctIndex() ? " ✓" : " ✗");
        }
        h.append("<br><span class=note>").append(esc(c.template())).append("</span></p></div>\n");
    }

    private static Float best(TypeScore s) {
        Double b = new BlindReference.Numbers(d(s.getBlindText()), d(s.getBlindCategory()), s.getBlindCount(),
                d(s.getBlindTextCv()), d(s.getBlindCategoryCv()), s.getBlindCvCount(), null).best();
        return b == null ? null : b.floatValue();
    }

    private static Double d(Float f) {
        return f == null ? null : f.doubleValue();
    }

    private static String bar(TypeScore s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "<svg width=200 height=14>"
                + "<rect width=200 height=14 fill=#eee /><rect width=%.0f height=7 fill=#2a7 />",
                200 * s.getAccuracy()));
        if (s.getCircularAccuracy() != null) {
            b.append(String.format(Locale.ROOT, "<rect y=7 width=%.0f height=7 fill=#36c />",
                    200 * s.getCircularAccuracy()));
        }
        b.append(String.format(Locale.ROOT, "<rect x=%.0f width=2 height=14 fill=#000 />"
                + "<rect x=%.0f width=2 height=14 fill=#999 />", 200 * s.getChance(), 200 * s.getMajority()));
        Float blind = best(s);
        if (blind != null) {
            b.append(String.format(Locale.ROOT, "<rect x=%.0f width=2 height=14 fill=#e80 />", 200 * blind));
        }
        return b.append("</svg>").toString();
    }

    // ---- index.html ----------------------------------------------------------------------------------

    /** One checkpoint's figures as the index needs them (read back from its report.json). */
    record Point(String dir, String checkpointId, String runId, long step, int count, long createdAtMs,
            Map<String, Figures> types, Map<String, Integer> counts) {}

    /** Plain, circular, chance and best blind of one type (or "all"); NaN where absent. */
    record Figures(double accuracy, double circular, double chance, double blind) {}

    /** Learning curves per type for the newest run, and a table of every checkpoint under root. */
    static void writeIndex(Path root) throws IOException {
        List<Point> points = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                Path json = d.resolve("report.json");
                if (Files.isRegularFile(json)) {
                    points.add(point(d.getFileName().toString(), JSON.readTree(json.toFile())));
                }
            }
        }
        points.sort(Comparator.comparing(Point::runId).thenComparingLong(Point::step));
        String run = points.stream().max(Comparator.comparingLong(Point::createdAtMs)).map(Point::runId).orElse("");
        List<Point> curve = points.stream().filter(p -> p.runId().equals(run)).toList();
        StringBuilder h = new StringBuilder(head("satflow evaluations"));
        h.append("<h1>Checkpoint evaluations</h1>\n");
        if (!curve.isEmpty()) {
            h.append("<h2>Learning curves, run <code>").append(esc(run)).append("</code></h2>\n")
                    .append("<p class=note><span style=\"color:#2a7\">■ accuracy</span> · "
                            + "<span style=\"color:#36c\">■ circular accuracy</span> (right in every order of the "
                            + "options) · <span style=\"color:#888\">- - chance</span> · <span style=\"color:#e80\">"
                            + "··· blind</span> (best question-only model, cross-validated)</p>\n<div class=row>\n");
            Map<String, Boolean> types = new TreeMap<>();
            curve.forEach(p -> p.types().keySet().forEach(t -> types.put(t, true)));
            types.remove("all");
            List<String> order = new ArrayList<>();
            if (curve.stream().anyMatch(p -> p.types().containsKey("all"))) {
                order.add("all");
            }
            order.addAll(types.keySet());
            for (String t : order) {
                h.append(chart(t, curve));
            }
            h.append("</div>\n");
        }
        h.append("<h2>Checkpoints</h2><table><tr><th>checkpoint</th><th>run</th><th>step</th><th>n</th>"
                + "<th>accuracy</th><th>circular</th><th>chance</th><th>blind</th></tr>\n");
        for (Point p : points) {
            Figures all = p.types().getOrDefault("all", new Figures(Double.NaN, Double.NaN, Double.NaN, Double.NaN));
            h.append(String.format(Locale.ROOT, "<tr><td><a href=\"%s/report.html\">%s</a></td><td>%s</td><td>%d</td>"
                    + "<td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>%n", esc(p.dir()),
                    esc(p.checkpointId()), esc(p.runId()), p.step(), p.count(), pct(all.accuracy()),
                    pct(all.circular()), pct(all.chance()), pct(all.blind())));
        }
        h.append("</table></body></html>\n");
        Files.writeString(root.resolve("index.html"), h.toString());
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static Point point(String dir, JsonNode n) {
        Map<String, Figures> types = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        n.path("types").fields().forEachRemaining(e -> {
            types.put(e.getKey(), figures(e.getValue()));
            counts.put(e.getKey(), e.getValue().path("count").asInt());
        });
        counts.put("all", n.path("count").asInt());
        if (n.has("all")) {
            types.put("all", figures(n.get("all")));
        } else { // a report written before circular evaluation
            types.put("all", new Figures(num(n.get("accuracy")), num(n.get("circular_accuracy")),
                    num(n.get("chance")), Double.NaN));
        }
        return new Point(dir, n.path("checkpointId").asText(), n.path("runId").asText(), n.path("step").asLong(),
                n.path("count").asInt(), n.path("createdAtMs").asLong(), types, counts);
    }

    private static Figures figures(JsonNode t) {
        double blind = Double.NaN;
        for (JsonNode b : List.of(t.path("blind").path("cv").path("text"), t.path("blind").path("cv").path("category"))) {
            if (b.isNumber()) {
                blind = Double.isNaN(blind) ? b.asDouble() : Math.max(blind, b.asDouble());
            }
        }
        if (Double.isNaN(blind)) {
            for (JsonNode b : List.of(t.path("blind").path("test").path("text"),
                    t.path("blind").path("test").path("category"))) {
                if (b.isNumber()) {
                    blind = Double.isNaN(blind) ? b.asDouble() : Math.max(blind, b.asDouble());
                }
            }
        }
        return new Figures(num(t.get("accuracy")), num(t.get("circular_accuracy")), num(t.get("chance")), blind);
    }

    private static double num(JsonNode v) {
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    /** One type's curves: accuracy and circular accuracy over steps, chance and blind as reference lines. */
    private static String chart(String type, List<Point> points) {
        int w = 330;
        int hgt = 190;
        int left = 34;
        int right = 10;
        int top = 22;
        int bottom = 22;
        long maxStep = Math.max(1, points.stream().mapToLong(Point::step).max().orElse(1));
        StringBuilder s = new StringBuilder();
        s.append("<svg width=").append(w).append(" height=").append(hgt)
                .append(" style=\"background:#fafafa\" font-size=10>");
        Point lastPoint = points.get(points.size() - 1);
        String n = lastPoint.counts().containsKey(type) ? " (n=" + lastPoint.counts().get(type) + ")" : "";
        s.append("<text x=").append(left).append(" y=14 font-size=12 font-weight=bold>").append(esc(type + n))
                .append("</text>");
        long firstStep = points.get(0).step();
        if (firstStep < 0.7 * maxStep) {
            s.append(String.format(Locale.ROOT, "<text x=%.1f y=%d>%d</text>",
                    left + (w - left - right) * firstStep / (double) maxStep - 4, hgt - 6, firstStep));
        }
        for (int g = 0; g <= 4; g++) {
            double y = y(g / 4.0, hgt, top, bottom);
            s.append(String.format(Locale.ROOT, "<line x1=%d y1=%.1f x2=%d y2=%.1f stroke=%s />", left, y, w - right, y,
                    g == 0 ? "#999" : "#e4e4e4"));
            s.append(String.format(Locale.ROOT, "<text x=2 y=%.1f>%d%%</text>", y + 3, g * 25));
        }
        s.append(String.format(Locale.ROOT, "<text x=%d y=%d>step %d</text>", w - right - 60, hgt - 6, maxStep));
        s.append(series(points, type, Figures::chance, "#888", "4 3", 1.2, maxStep, w, hgt, left, right, top, bottom));
        s.append(series(points, type, Figures::blind, "#e80", "1 3", 1.8, maxStep, w, hgt, left, right, top, bottom));
        // accuracy wide underneath, circular narrow on top: both stay visible where they coincide
        s.append(series(points, type, Figures::accuracy, "#2a7", null, 3.5, maxStep, w, hgt, left, right, top, bottom));
        s.append(series(points, type, Figures::circular, "#36c", null, 1.5, maxStep, w, hgt, left, right, top, bottom));
        return s.append("</svg>\n").toString();
    }

    private static String series(List<Point> points, String type, java.util.function.ToDoubleFunction<Figures> f,
            String colour, String dash, double width, long maxStep, int w, int hgt, int left, int right, int top,
            int bottom) {
        StringBuilder pts = new StringBuilder();
        int n = 0;
        for (Point p : points) {
            Figures fig = p.types().get(type);
            if (fig == null || Double.isNaN(f.applyAsDouble(fig))) {
                continue;
            }
            double x = left + (w - left - right) * p.step() / (double) maxStep;
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y(f.applyAsDouble(fig), hgt, top, bottom)));
            n++;
        }
        if (n == 0) {
            return "";
        }
        if (n == 1) { // a single checkpoint: a dot, not a line of length zero
            String[] xy = pts.toString().trim().split(",");
            return String.format(Locale.ROOT, "<circle cx=%s cy=%s r=3 fill=%s />", xy[0], xy[1], colour);
        }
        return "<polyline fill=none stroke=" + colour + " stroke-width=" + width
                + (dash == null ? "" : " stroke-dasharray=\"" + dash + "\"") + " points=\"" + pts + "\"/>";
    }

    private static double y(double v, int hgt, int top, int bottom) {
        return hgt - bottom - (hgt - top - bottom) * Math.max(0, Math.min(1, v));
    }
}
