package dev.satflow.ops.export;

import dev.satflow.core.config.ConfigException;
import static dev.satflow.core.html.Html.esc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satflow.core.frames.FrameSource;
import dev.satflow.core.frames.QuestionImages;
import dev.satflow.evaluator.BlindReference;
import dev.satflow.evaluator.ChoicePredictor;
import dev.satflow.evaluator.CircularScorer;
import dev.satflow.evaluator.Evaluation;
import dev.satflow.evaluator.MistakeGallery;
import dev.satflow.evaluator.ReportWriter;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.QaImage;
import dev.satflow.schema.QaRecord;
import dev.satflow.trainer.CheckpointInfo;
import dev.satflow.trainer.Checkpoints;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * {@code satflow evaluate --dataset FILE.parquet --checkpoint DIR}: scores a checkpoint on Parquet files in the HF
 * {@code array/SAT} layout (SAT's own files, or this project's {@code sat-parquet} export), no Kafka involved. Rows
 * stream from {@link SatParquetReader} (a page per column at a time) into the evaluator's {@link Evaluation} a
 * chunk at a time, so memory stays bounded however large the file: plain and circular accuracy per
 * {@code question_type}, chance and the answer prior, {@code report.json}/{@code report.html} with the mistakes
 * gallery, exactly as for a checkpoint scored on the test split (no blind baselines: those need the dataset's
 * generator's metadata).
 *
 * <p>Each row becomes a question with its images inline (their marks, if any, already drawn in the pixels: no
 * grounding, no marks to draw), family {@code dynamic} with two images and {@code static} with one. A row that
 * cannot be asked — a null field, fewer than two answers, a {@code correct_answer} not among (or repeated in) its
 * {@code answers}, no image or more than two, image bytes that are not a PNG or JPEG or do not decode — is left out
 * and reported by its name {@code file#row} (row index from 0), never fatal.
 *
 * <p>SAT's own files list the right answer first in {@code answers} (sat.md §3, §7.6). Options are presented in the
 * file's order for plain accuracy, so a model that always picks the first option scores 100 % plain there; circular
 * accuracy (right in every rotation of the options) does not depend on the order. The report says how often the
 * right answer came first, per type.
 */
public final class SatParquetEvaluation {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rows left out that the report names one by one; the rest are counted. */
    static final int SKIPPED_LISTED = 1000;
    /** Skipped rows also printed as they happen. */
    private static final int SKIPPED_PRINTED = 20;
    private static final long PROGRESS_EVERY = 10_000;

    /**
     * @param datasets   Parquet files, or folders whose {@code *.parquet} files are read (in name order)
     * @param checkpoint a checkpoint folder ({@code model.json}, {@code trainer.json}, parameters)
     * @param reportsRoot where {@code <checkpointId>/report.{json,html}}, {@code index.html} and {@code img/} go
     * @param limit      rows to evaluate at most (after the type filter), 0 = all
     * @param types      question types to evaluate, empty = all
     * @param chunk      questions scored together (bounds the images held)
     */
    public record Settings(List<Path> datasets, Path checkpoint, Path reportsRoot, long limit, Set<String> types,
            int chunk) {
        public Settings {
            datasets = List.copyOf(datasets);
            types = Set.copyOf(types);
            if (datasets.isEmpty()) {
                throw new ConfigException("--dataset: no file given");
            }
            if (limit < 0) {
                throw new ConfigException("--limit = " + limit + ": expected >= 0");
            }
            if (chunk < 1) {
                throw new ConfigException("--chunk = " + chunk + ": expected >= 1");
            }
        }
    }

    /** A row left out, and why. */
    public record Skipped(String row, String reason) {}

    /**
     * What was done.
     *
     * @param read     rows read from the files
     * @param selected rows of the types asked for (up to the limit)
     * @param skipped  the first {@link #SKIPPED_LISTED} rows left out
     */
    public record Result(Evaluation.Result evaluation, long read, long selected, long skippedCount,
            List<Skipped> skipped, Map<String, Long> selectedByType, Path reportHtml) {}

    private SatParquetEvaluation() {}

    /** The Parquet files named: files as given, folders expanded to their {@code *.parquet} files (sorted). */
    public static List<Path> files(List<Path> datasets) {
        List<Path> out = new ArrayList<>();
        for (Path d : datasets) {
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    List<Path> in = s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                            .filter(Files::isRegularFile).sorted().toList();
                    if (in.isEmpty()) {
                        throw new ConfigException("--dataset " + d + ": no *.parquet file in that folder");
                    }
                    out.addAll(in);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + d, e);
                }
            } else if (Files.isRegularFile(d)) {
                out.add(d);
            } else {
                throw new ConfigException("--dataset " + d + ": no such file or folder");
            }
        }
        return out;
    }

    /** A name for what was read: the one file's or folder's name without {@code .parquet}, else the names joined. */
    public static String label(List<Path> datasets) {
        List<String> names = datasets.stream().map(p -> String.valueOf(p.toAbsolutePath().normalize().getFileName())
                .replaceFirst("\\.parquet$", "")).toList();
        String l = String.join("+", names);
        return l.length() <= 80 ? l : l.substring(0, 80) + "+" + (names.size()) + "-files";
    }

    /** Scores the checkpoint on every selected row; prints skipped rows and progress to {@code err}. */
    public static Result run(Settings s, PrintStream err) throws IOException {
        List<Path> files = files(s.datasets());
        String label = label(s.datasets());
        CheckpointInfo info;
        List<FileInfo> opened = new ArrayList<>();
        try {
            info = Checkpoints.readInfo(s.checkpoint());
            Checkpoints.readConfig(s.checkpoint()); // fails now, with the folder named, if model.json is missing
            // open every file first: a file that is not in the SAT layout fails before anything is scored
            for (Path f : files) {
                try (SatParquetReader r = SatParquetReader.open(f)) {
                    opened.add(new FileInfo(f, r.rows(), r.rowGroups(), r.largestRowGroupBytes(), r.createdBy()));
                }
            }
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // --checkpoint or --dataset names something that is not one: a usage error, not a data error
            throw new ConfigException(e.getMessage());
        }
        String runId = info.metadata().getOrDefault("runId", "");
        String checkpointId = info.metadata().getOrDefault("checkpointId",
                runId.isEmpty() ? String.valueOf(s.checkpoint().toAbsolutePath().normalize().getFileName())
                        : runId + "-step-" + String.format(Locale.ROOT, "%06d", info.step()));
        Rows rows = new Rows(files, s, label, err);
        Evaluation.Result result;
        try (ChoicePredictor.Loaded predictor = ChoicePredictor.load(s.checkpoint());
                QuestionImages images = new QuestionImages(FrameSource.of(Map.of()))) {
            result = Evaluation.run(new Evaluation.Target(checkpointId, runId, info.step()), label, () -> rows,
                    images, predictor, BlindReference.NONE, s.reportsRoot(),
                    new Evaluation.Options(s.chunk(), MistakeGallery.Limits.DEFAULT),
                    (q, e) -> rows.unscored(q, "images do not decode: " + e.getMessage()),
                    System.currentTimeMillis(), () -> new ReportWriter.Extra("dataset", rows.json(opened),
                            rows.html(opened)));
        } finally {
            rows.close();
        }
        if (rows.skippedCount > SKIPPED_PRINTED) {
            err.printf(Locale.ROOT, "... %d rows skipped in all (the first %d are listed in report.json)%n",
                    rows.skippedCount, Math.min(rows.skippedCount, SKIPPED_LISTED));
        }
        String html = result.report().getReportPath();
        return new Result(result, rows.read, rows.selected, rows.skippedCount, List.copyOf(rows.skipped),
                Map.copyOf(rows.selectedByType), html == null ? null : Path.of(html));
    }

    private record FileInfo(Path path, long rows, int rowGroups, long largestRowGroupBytes, String createdBy) {}

    /** The rows of every file in turn, as questions; those that cannot be asked are recorded and passed over. */
    private static final class Rows implements Iterator<QaRecord> {
        private final Iterator<Path> files;
        private final Settings s;
        private final String label;
        private final PrintStream err;
        private SatParquetReader reader;
        private QaRecord next;
        long read;
        long selected;
        long skippedCount;
        long largestPage;
        final List<Skipped> skipped = new ArrayList<>();
        final Map<String, Long> selectedByType = new TreeMap<>();
        /** Per type: questions scored, and of those, how many list the right answer first. */
        final Map<String, long[]> answerFirst = new TreeMap<>();

        Rows(List<Path> files, Settings s, String label, PrintStream err) {
            this.files = files.iterator();
            this.s = s;
            this.label = label;
            this.err = err;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (s.limit() > 0 && selected >= s.limit()) {
                    return false;
                }
                if (reader == null || !reader.hasNext()) {
                    close();
                    if (!files.hasNext()) {
                        return false;
                    }
                    Path f = files.next();
                    try {
                        reader = SatParquetReader.open(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    continue;
                }
                SatParquetReader.Row row = reader.next();
                read++;
                if (read % PROGRESS_EVERY == 0) {
                    err.printf(Locale.ROOT, "... %d rows read, %d skipped%n", read, skippedCount);
                }
                if (!s.types().isEmpty() && (row.questionType() == null || !s.types().contains(row.questionType()))) {
                    continue;
                }
                selected++;
                if (row.questionType() != null) {
                    selectedByType.merge(row.questionType(), 1L, Long::sum);
                }
                String problem = problem(row);
                if (problem != null) {
                    skip(row.id(), problem);
                    continue;
                }
                next = question(row, label);
                long[] f = answerFirst.computeIfAbsent(row.questionType(), t -> new long[2]);
                f[0]++;
                f[1] += row.answers().get(0).equals(row.correctAnswer()) ? 1 : 0;
            }
            return true;
        }

        @Override
        public QaRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            QaRecord q = next;
            next = null;
            return q;
        }

        void skip(String row, String reason) {
            skippedCount++;
            if (skipped.size() < SKIPPED_LISTED) {
                skipped.add(new Skipped(row, reason));
            }
            if (skippedCount <= SKIPPED_PRINTED) {
                err.println("skipped " + row + ": " + reason);
            }
        }

        /** A question handed over that the scorer then left out: no longer counted as asked. */
        void unscored(QaRecord q, String reason) {
            long[] f = answerFirst.get(q.getQuestionType());
            if (f != null) {
                f[0]--;
                f[1] -= q.getCorrectIndex() == 0 ? 1 : 0;
            }
            skip(q.getQaId(), reason);
        }

        void close() {
            if (reader != null) {
                largestPage = Math.max(largestPage, reader.largestPageBytes());
                reader.close();
                reader = null;
            }
        }

        ObjectNode json(List<FileInfo> opened) {
            ObjectNode d = JSON.createObjectNode();
            d.put("format", "HF array/SAT parquet (image_bytes, question, answers, question_type, correct_answer)");
            d.put("label", label);
            ArrayNode fs = d.putArray("files");
            for (FileInfo f : opened) {
                ObjectNode o = fs.addObject();
                o.put("path", f.path().toString());
                o.put("rows", f.rows());
                o.put("row_groups", f.rowGroups());
                o.put("largest_row_group_bytes", f.largestRowGroupBytes());
                o.put("created_by", f.createdBy());
            }
            d.put("largest_page_bytes", Math.max(largestPage, reader == null ? 0 : reader.largestPageBytes()));
            d.put("rows_read", read);
            d.put("rows_selected", selected);
            d.put("limit", s.limit());
            ArrayNode ts = d.putArray("types_asked");
            s.types().stream().sorted().forEach(ts::add);
            ObjectNode by = d.putObject("rows_by_type");
            selectedByType.forEach(by::put);
            d.put("rows_skipped", skippedCount);
            ArrayNode sk = d.putArray("skipped");
            for (Skipped x : skipped) {
                sk.addObject().put("row", x.row()).put("reason", x.reason());
            }
            ObjectNode first = d.putObject("correct_answer_first");
            long n = 0;
            long k = 0;
            for (Map.Entry<String, long[]> e : answerFirst.entrySet()) {
                first.put(e.getKey(), e.getValue()[0] == 0 ? 0 : (double) e.getValue()[1] / e.getValue()[0]);
                n += e.getValue()[0];
                k += e.getValue()[1];
            }
            d.put("correct_answer_first_all", n == 0 ? 0 : (double) k / n);
            d.put("note", note(n, k));
            return d;
        }

        private static String note(long n, long k) {
            return String.format(Locale.ROOT, "The right answer is the first of the answers in %d of %d questions "
                    + "(%.1f%%; HF array/SAT always lists it first). Plain accuracy presents the answers in the "
                    + "file's order, so it rewards a preference for the first option; circular accuracy (right in "
                    + "every rotation of the answers) does not depend on their order. Phrasing columns do not apply "
                    + "(no held-out templates); no blind baselines.", k, n, n == 0 ? 0 : 100.0 * k / n);
        }

        String html(List<FileInfo> opened) {
            long n = answerFirst.values().stream().mapToLong(v -> v[0]).sum();
            long k = answerFirst.values().stream().mapToLong(v -> v[1]).sum();
            StringBuilder h = new StringBuilder("<p class=note>Dataset <b>").append(esc(label)).append("</b>: ");
            for (int i = 0; i < opened.size(); i++) {
                FileInfo f = opened.get(i);
                h.append(i == 0 ? "" : ", ").append("<code>").append(esc(String.valueOf(f.path().getFileName())))
                        .append("</code> (").append(f.rows()).append(" rows)");
            }
            h.append(String.format(Locale.ROOT, "; %d rows read, %d selected, %d skipped", read, selected,
                    skippedCount));
            if (!skipped.isEmpty()) {
                h.append(" (");
                for (int i = 0; i < Math.min(5, skipped.size()); i++) {
                    h.append(i == 0 ? "" : "; ").append("<code>").append(esc(skipped.get(i).row())).append("</code> ")
                            .append(esc(skipped.get(i).reason()));
                }
                h.append(skipped.size() > 5 ? "; … see report.json" : "").append(')');
            }
            return h.append(". ").append(esc(note(n, k))).append("</p>").toString();
        }
    }

    /** Why a row cannot be asked, or null. */
    static String problem(SatParquetReader.Row r) {
        if (r.question() == null) {
            return "question is null";
        }
        if (r.questionType() == null) {
            return "question_type is null";
        }
        if (r.answers() == null || r.answers().size() < 2) {
            return "answers " + (r.answers() == null ? "is null" : "has " + r.answers().size()
                    + " entries; at least 2 are needed");
        }
        if (r.answers().contains(null)) {
            return "answers holds a null";
        }
        if (r.correctAnswer() == null) {
            return "correct_answer is null";
        }
        int at = r.answers().indexOf(r.correctAnswer());
        if (at < 0) {
            return "correct_answer " + quote(r.correctAnswer()) + " is not among its answers " + quoted(r.answers());
        }
        if (r.answers().lastIndexOf(r.correctAnswer()) != at) {
            return "correct_answer " + quote(r.correctAnswer()) + " appears more than once in its answers "
                    + quoted(r.answers()) + ", so which option is right is ambiguous";
        }
        if (r.images() == null || r.images().isEmpty()) {
            return "image_bytes " + (r.images() == null ? "is null" : "is empty");
        }
        if (r.images().size() > 2) {
            return "image_bytes holds " + r.images().size() + " images; the model takes 1 or 2";
        }
        for (int k = 0; k < r.images().size(); k++) {
            byte[] b = r.images().get(k);
            if (b == null || b.length == 0) {
                return "image_bytes[" + k + "] is " + (b == null ? "null" : "empty");
            }
            if (format(b) == null) {
                return "image_bytes[" + k + "] is not a PNG or JPEG image (" + b.length + " bytes starting "
                        + HexFormat.ofDelimiter(" ").formatHex(b, 0, Math.min(8, b.length)) + ")";
            }
        }
        return null;
    }

    private static String quote(String s) {
        return "'" + (s.length() > 80 ? s.substring(0, 80) + "…" : s) + "'";
    }

    private static String quoted(List<String> answers) {
        return answers.stream().map(SatParquetEvaluation::quote).toList().toString();
    }

    /** "png", "jpeg" or null, from the leading bytes. */
    static String format(byte[] b) {
        return dev.satflow.core.frames.ImageFormat.sniff(b);
    }

    /** A valid row as a question with inline images (what satflow-qa/1 records carried). */
    static QaRecord question(SatParquetReader.Row r, String split) {
        List<QaImage> images = new ArrayList<>(r.images().size());
        for (int k = 0; k < r.images().size(); k++) {
            byte[] b = r.images().get(k);
            CRC32 crc = new CRC32();
            crc.update(b);
            // the view named by its content: gallery images are cached by question name and view, and two files
            // may share a name
            String view = String.format(Locale.ROOT, "%s/%d-%08x-%d", r.id(), k, crc.getValue(), b.length);
            images.add(new QaImage(view, format(b), ByteBuffer.wrap(b)));
        }
        return QaRecord.newBuilder().setQaId(r.id()).setSceneId("").setSplit(split)
                .setFamily(images.size() == 2 ? "dynamic" : "static").setQuestionType(r.questionType())
                .setQuestion(r.question()).setChoices(List.copyOf(r.answers()))
                .setCorrectIndex(r.answers().indexOf(r.correctAnswer())).setCorrectAnswer(r.correctAnswer())
                .setImages(images).setTemplate(r.file()).setHeldOutPhrasing(false)
                .setLineage(Lineage.newBuilder().build()).build();
    }
}
