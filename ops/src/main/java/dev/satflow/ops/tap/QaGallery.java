package dev.satflow.ops.tap;

import static dev.satflow.core.html.Html.esc;
import static dev.satflow.core.html.Html.head;
import static dev.satflow.core.html.Html.safe;

import dev.satflow.core.frames.QuestionImages;
import dev.satflow.schema.QaRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Question cards grouped by type: the images, the question, the options with the right one marked, the facts. */
public final class QaGallery {
    private QaGallery() {}

    /** Writes the page; images are resolved from their frames and drawn with their marks. */
    public static Path write(Path dir, List<QaRecord> records, int perType, QuestionImages images) {
        Map<String, List<QaRecord>> byType = new TreeMap<>();
        Map<String, Integer> totals = new TreeMap<>();
        for (QaRecord q : records) {
            totals.merge(q.getQuestionType(), 1, Integer::sum);
            List<QaRecord> l = byType.computeIfAbsent(q.getQuestionType(), t -> new ArrayList<>());
            if (l.size() < perType) {
                l.add(q);
            }
        }
        StringBuilder h = new StringBuilder(head("satflow questions"));
        h.append(String.format(Locale.ROOT, "<h1>Questions</h1><p>%d questions; up to %d shown per type.</p>"
                + "<table><tr><th>type</th><th>count</th></tr>%n", records.size(), perType));
        totals.forEach((t, n) -> h.append("<tr><td><a href=\"#").append(esc(t)).append("\">").append(esc(t))
                .append("</a></td><td>").append(n).append("</td></tr>\n"));
        h.append("</table>\n");
        try {
            Files.createDirectories(dir.resolve("img"));
            for (Map.Entry<String, List<QaRecord>> e : byType.entrySet()) {
                h.append("<h2 id=\"").append(esc(e.getKey())).append("\">").append(esc(e.getKey()))
                        .append("</h2><div class=row>\n");
                images.prefetch(e.getValue());
                for (QaRecord q : e.getValue()) {
                    card(h, dir, q, images);
                }
                h.append("</div>\n");
            }
            Path page = dir.resolve("index.html");
            Files.writeString(page, h.append("</body></html>\n").toString());
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the question gallery under " + dir, e);
        }
    }

    private static void card(StringBuilder h, Path dir, QaRecord q, QuestionImages images) throws IOException {
        h.append("<div class=card>");
        List<QuestionImages.Image> resolved;
        try {
            resolved = images.images(q);
        } catch (IllegalArgumentException e) {
            h.append("<p class=wrong>").append(esc(e.getMessage())).append("</p>");
            resolved = List.of();
        }
        for (QuestionImages.Image img : resolved) {
            String name = safe(q.getQaId()) + "-" + img.index() + (img.marked() ? ".png"
                    : "." + FrameGallery.ext(img.format()));
            Files.write(dir.resolve("img").resolve(name), img.png());
            h.append("<img src=\"img/").append(name).append("\" title=\"").append(esc(img.viewId())).append("\">");
        }
        h.append("<p>").append(esc(q.getQuestion())).append("</p><ol start=0>");
        for (int c = 0; c < q.getChoices().size(); c++) {
            h.append("<li").append(c == q.getCorrectIndex() ? " class=right" : "").append(">")
                    .append(esc(q.getChoices().get(c))).append("</li>");
        }
        h.append("</ol><p class=note>").append(esc(q.getQaId())).append(" · ").append(esc(q.getSplit()))
                .append(" · ").append(esc(q.getTemplate())).append(q.getHeldOutPhrasing() ? " (held-out phrasing)" : "");
        q.getFacts().forEach((key, v) -> h.append(" · ").append(esc(key)).append("=").append(esc(v)));
        h.append("</p></div>\n");
    }
}
