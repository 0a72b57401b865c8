package dev.satflow.evaluator;

import dev.satflow.core.marks.MarkPainter;
import static dev.satflow.core.html.Html.esc;
import static dev.satflow.core.html.Html.head;
import static dev.satflow.core.html.Html.safe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satflow.schema.EvalReport;
import dev.satflow.schema.TypeScore;
import dev.satflow.trainer.data.TrainingExample;
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
import java.util.stream.Stream;

/**
 * Writes what a person reads after an evaluation: {@code report.json} (machine-readable),
 * {@code report.html} (per-type table with chance and prior baselines, then sample questions with
 * their images, the model's answer and the right one), and an {@code index.html} one level up with
 * accuracy over training steps across every checkpoint evaluated so far.
 */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int SAMPLES_PER_TYPE = 4;

    private ReportWriter() {}

    /** Writes into {@code root/<checkpointId>/}; returns the report.html path. */
    public static Path write(Path root, EvalReport report, List<TrainingExample> examples, int[] predicted) {
        try {
            Path dir = root.resolve(safe(report.getCheckpointId()));
            Files.createDirectories(dir.resolve("img"));
            Files.writeString(dir.resolve("report.json"), JSON.writeValueAsString(toJson(report)));
            Files.writeString(dir.resolve("report.html"), html(report, examples, predicted, dir));
            writeIndex(root);
            return dir.resolve("report.html");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write evaluation report under " + root, e);
        }
    }

    public static ObjectNode toJson(EvalReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("checkpointId", r.getCheckpointId());
        o.put("runId", r.getRunId());
        o.put("step", r.getStep());
        o.put("split", r.getSplit());
        o.put("count", r.getCount());
        o.put("accuracy", round(r.getAccuracy()));
        o.put("chance", round(r.getChance()));
        ObjectNode types = o.putObject("types");
        for (TypeScore s : r.getScores()) {
            ObjectNode t = types.putObject(s.getQuestionType());
            t.put("count", s.getCount());
            t.put("correct", s.getCorrect());
            t.put("accuracy", round(s.getAccuracy()));
            t.put("chance", round(s.getChance()));
            t.put("majority", round(s.getMajority()));
        }
        o.put("createdAtMs", r.getCreatedAtMs());
        return o;
    }

    static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    private static String html(EvalReport r, List<TrainingExample> examples, int[] predicted, Path dir)
            throws IOException {
        StringBuilder h = new StringBuilder();
        h.append(head("satflow evaluation · " + r.getCheckpointId()));
        h.append("<h1>Evaluation of <code>").append(esc(r.getCheckpointId())).append("</code></h1>\n");
        h.append(String.format(Locale.ROOT, "<p>run <b>%s</b>, step <b>%d</b>, split <b>%s</b>: %d questions, "
                + "accuracy <b>%.1f%%</b> vs chance %.1f%%. <a href=\"../index.html\">all checkpoints</a></p>%n",
                esc(r.getRunId()), r.getStep(), esc(r.getSplit()), r.getCount(), 100 * r.getAccuracy(),
                100 * r.getChance()));
        h.append("<table><tr><th>question type</th><th>n</th><th>accuracy</th><th>chance</th>"
                + "<th>answer prior</th><th></th></tr>\n");
        for (TypeScore s : r.getScores()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.1f%%</td><td>%.1f%%</td>"
                    + "<td>%.1f%%</td><td>%s</td></tr>%n", esc(s.getQuestionType()), s.getCount(),
                    100 * s.getAccuracy(), 100 * s.getChance(), 100 * s.getMajority(),
                    bar(s.getAccuracy(), s.getChance(), s.getMajority())));
        }
        h.append("</table>\n<p class=note>Bar: accuracy (filled), chance (black tick), answer prior = always "
                + "giving the type's most common right answer (grey tick).</p>\n");
        h.append("<h2>Sample questions</h2>\n");
        Map<String, List<Integer>> byType = new LinkedHashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            List<Integer> l = byType.computeIfAbsent(examples.get(i).questionType(), t -> new ArrayList<>());
            if (l.size() < SAMPLES_PER_TYPE) {
                l.add(i);
            }
        }
        for (Map.Entry<String, List<Integer>> e : byType.entrySet()) {
            h.append("<h3>").append(esc(e.getKey())).append("</h3><div class=row>\n");
            for (int i : e.getValue()) {
                TrainingExample ex = examples.get(i);
                h.append("<div class=card>");
                for (int k = 0; k < ex.images().size(); k++) {
                    String name = safe(ex.qaId()) + "-" + k + ".png";
                    Files.write(dir.resolve("img").resolve(name), MarkPainter.paintPng(ex.images().get(k), ex.marks(), k));
                    h.append("<img src=\"img/").append(name).append("\">");
                }
                h.append("<p>").append(esc(ex.question())).append("</p><ol start=0>");
                for (int c = 0; c < ex.choices().size(); c++) {
                    String cls = c == ex.correctIndex() ? "right" : c == predicted[i] ? "wrong" : "";
                    h.append("<li class=\"").append(cls).append("\">").append(esc(ex.choices().get(c)))
                            .append(c == predicted[i] ? " ◀ model" : "").append("</li>");
                }
                h.append("</ol></div>\n");
            }
            h.append("</div>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    /** Accuracy over steps for every report under root, as an SVG line chart and a table. */
    static void writeIndex(Path root) throws IOException {
        List<ObjectNode> reports = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                Path json = d.resolve("report.json");
                if (Files.isRegularFile(json)) {
                    ObjectNode n = (ObjectNode) JSON.readTree(json.toFile());
                    n.put("dir", d.getFileName().toString());
                    reports.add(n);
                }
            }
        }
        reports.sort(Comparator.comparing((ObjectNode n) -> n.get("runId").asText())
                .thenComparingLong(n -> n.get("step").asLong()));
        StringBuilder h = new StringBuilder(head("satflow evaluations"));
        h.append("<h1>Checkpoint evaluations</h1>\n").append(chart(reports));
        h.append("<table><tr><th>checkpoint</th><th>run</th><th>step</th><th>n</th><th>accuracy</th>"
                + "<th>chance</th></tr>\n");
        for (ObjectNode n : reports) {
            h.append(String.format(Locale.ROOT, "<tr><td><a href=\"%s/report.html\">%s</a></td><td>%s</td><td>%d</td>"
                    + "<td>%d</td><td>%.1f%%</td><td>%.1f%%</td></tr>%n", n.get("dir").asText(),
                    esc(n.get("checkpointId").asText()), esc(n.get("runId").asText()), n.get("step").asLong(),
                    n.get("count").asInt(), 100 * n.get("accuracy").asDouble(), 100 * n.get("chance").asDouble()));
        }
        h.append("</table></body></html>\n");
        Files.writeString(root.resolve("index.html"), h.toString());
    }

    private static String chart(List<ObjectNode> reports) {
        if (reports.isEmpty()) {
            return "";
        }
        int w = 640;
        int hgt = 240;
        long maxStep = Math.max(1, reports.stream().mapToLong(n -> n.get("step").asLong()).max().orElse(1));
        StringBuilder acc = new StringBuilder();
        StringBuilder chance = new StringBuilder();
        for (ObjectNode n : reports) {
            double x = 40 + (w - 60) * n.get("step").asLong() / (double) maxStep;
            acc.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, hgt - 30 - (hgt - 50) * n.get("accuracy").asDouble()));
            chance.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, hgt - 30 - (hgt - 50) * n.get("chance").asDouble()));
        }
        return "<svg width=" + w + " height=" + hgt + " style=\"background:#fafafa\">"
                + "<line x1=40 y1=" + (hgt - 30) + " x2=" + (w - 20) + " y2=" + (hgt - 30) + " stroke=#999 />"
                + "<line x1=40 y1=20 x2=40 y2=" + (hgt - 30) + " stroke=#999 />"
                + "<text x=4 y=24 font-size=11>100%</text><text x=14 y=" + (hgt - 30) + " font-size=11>0%</text>"
                + "<text x=" + (w - 90) + " y=" + (hgt - 10) + " font-size=11>step " + maxStep + "</text>"
                + "<polyline fill=none stroke=#2a7 stroke-width=2 points=\"" + acc + "\"/>"
                + "<polyline fill=none stroke=#888 stroke-dasharray=4 points=\"" + chance + "\"/>"
                + "<text x=50 y=16 font-size=11 fill=#2a7>accuracy</text><text x=120 y=16 font-size=11 fill=#888>chance"
                + "</text></svg>\n";
    }

    private static String bar(double acc, double chance, double majority) {
        return String.format(Locale.ROOT, "<svg width=200 height=14><rect width=200 height=14 fill=#eee />"
                + "<rect width=%.0f height=14 fill=#2a7 /><rect x=%.0f width=2 height=14 fill=#000 />"
                + "<rect x=%.0f width=2 height=14 fill=#999 /></svg>", 200 * acc, 200 * chance, 200 * majority);
    }
}
