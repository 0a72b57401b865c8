package dev.satflow.ops.export;

import dev.satflow.core.frames.QuestionImages;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.QaRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** What all writers share: checking and naming a record, duplicates, counts, lifecycle, summary, manifest. */
abstract class BaseWriter implements DatasetWriter {
    /** One image of a prepared question. */
    record Img(int index, String viewId, String viewKey, byte[] bytes, String ext, boolean plainFrame) {}

    /**
     * A question checked and named.
     *
     * @param split the split as a file-name part
     * @param scene the scene id as a directory name
     * @param key   the question's file key (from its qa id: no dots, no separators)
     */
    record Prepared(QaRecord q, String split, String scene, String key, List<Img> images) {}

    private enum State { OPEN, FAILED, FINISHED, CLOSED }

    protected final OutputDir out;
    protected final Options options;
    private final Format format;
    private final Map<String, String> qaIdByKey = new HashMap<>();
    private final SortedMap<String, SortedMap<String, Long>> counts = new TreeMap<>();
    private final SortedMap<String, SortedSet<String>> versions = new TreeMap<>();
    private Long minSeed;
    private Long maxSeed;
    private long questions;
    private long duplicates;
    protected long images;
    protected long imageBytes;
    private State state = State.OPEN;
    private Summary summary;

    BaseWriter(Format format, OutputDir out, Options options) {
        this.format = format;
        this.out = out;
        this.options = options;
    }

    @Override
    public final Format format() {
        return format;
    }

    @Override
    public final Path dir() {
        return out.root();
    }

    @Override
    public final void write(QaRecord q, List<QuestionImages.Image> imgs) throws IOException {
        if (state != State.OPEN) {
            throw new IllegalStateException("export writer is " + state.name().toLowerCase() + ": cannot write "
                    + (q == null ? "null" : q.getQaId()));
        }
        Objects.requireNonNull(q, "question");
        String key = Names.key("qaId", q.getQaId());
        String earlier = qaIdByKey.get(key);
        if (earlier != null) {
            if (earlier.equals(q.getQaId())) {
                duplicates++;
                return;
            }
            throw Names.refuse("qaId", q.getQaId(), "its file key '" + key + "' is that of question '" + earlier
                    + "' already written");
        }
        Prepared p = prepare(q, imgs, key);
        try {
            append(p);
        } catch (IOException | RuntimeException | Error e) {
            state = State.FAILED;
            throw e;
        }
        qaIdByKey.put(key, q.getQaId());
        questions++;
        counts.computeIfAbsent(q.getSplit(), s -> new TreeMap<>()).merge(q.getQuestionType(), 1L, Long::sum);
        version("qa", q.getGeneratorVersion());
        Lineage l = q.getLineage();
        if (l != null) {
            version("scene", l.getSceneGeneratorVersion());
            version("renderer", l.getRendererVersion());
            minSeed = minSeed == null ? l.getSceneSeed() : Math.min(minSeed, l.getSceneSeed());
            maxSeed = maxSeed == null ? l.getSceneSeed() : Math.max(maxSeed, l.getSceneSeed());
        }
    }

    private void version(String role, String v) {
        if (v != null && !v.isEmpty()) {
            versions.computeIfAbsent(role, r -> new TreeSet<>()).add(v);
        }
    }

    private static Prepared prepare(QaRecord q, List<QuestionImages.Image> imgs, String key) {
        String id = q.getQaId();
        String split = Names.segment("split", q.getSplit());
        String scene = Names.segment("sceneId", q.getSceneId());
        if (q.getQuestion() == null || q.getQuestion().isBlank()) {
            throw Names.refuse("question", q.getQuestion(), "is empty (qaId '" + id + "')");
        }
        List<String> choices = q.getChoices();
        if (choices == null || choices.isEmpty()) {
            throw Names.refuse("choices", String.valueOf(choices), "no options (qaId '" + id + "')");
        }
        int ci = q.getCorrectIndex();
        if (ci < 0 || ci >= choices.size()) {
            throw Names.refuse("correctIndex", String.valueOf(ci), "out of range for " + choices.size()
                    + " choices (qaId '" + id + "')");
        }
        if (!choices.get(ci).equals(q.getCorrectAnswer())) {
            throw Names.refuse("correctAnswer", q.getCorrectAnswer(), "is not choices[" + ci + "] = '"
                    + choices.get(ci) + "' (qaId '" + id + "')");
        }
        if (imgs == null || imgs.isEmpty()) {
            throw Names.refuse("images", "[]", "a question needs at least one image (qaId '" + id + "')");
        }
        List<Img> out = new ArrayList<>(imgs.size());
        for (int i = 0; i < imgs.size(); i++) {
            QuestionImages.Image im = imgs.get(i);
            String field = "images[" + i + "]";
            if (im == null) {
                throw Names.refuse(field, null, "missing (qaId '" + id + "')");
            }
            String view = im.viewId();
            String viewKey = view == null || view.isEmpty() ? null : Names.key(field + ".viewId", view);
            byte[] bytes;
            try {
                bytes = im.png();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + " (view '" + view + "') of qaId '" + id + "': "
                        + e.getMessage(), e);
            }
            String ext = extension(bytes);
            if (ext == null) {
                throw Names.refuse(field + ".viewId", view, "its image is neither PNG nor JPEG (qaId '" + id + "')");
            }
            // a referenced frame shown without marks is the same bytes for every question showing it
            boolean plain = im.frame() != null && !im.marked() && viewKey != null;
            out.add(new Img(i, view, viewKey, bytes, ext, plain));
        }
        return new Prepared(q, split, scene, key, List.copyOf(out));
    }

    /** "png" or "jpg" from the magic bytes; null for anything else. */
    static String extension(byte[] b) {
        if (b != null && b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == '\r' && b[5] == '\n' && b[6] == 0x1a && b[7] == '\n') {
            return "png";
        }
        if (b != null && b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return "jpg";
        }
        return null;
    }

    @Override
    public final Summary finish() throws IOException {
        if (state != State.OPEN) {
            throw new IllegalStateException("export writer is " + state.name().toLowerCase() + ": cannot finish");
        }
        List<Path> files;
        try {
            files = complete();
        } catch (IOException | RuntimeException | Error e) {
            state = State.FAILED;
            throw e;
        }
        List<Summary.FileEntry> entries = new ArrayList<>();
        for (Path f : files) {
            entries.add(new Summary.FileEntry(out.relative(f), Files.size(f)));
        }
        entries.sort((a, b) -> a.path().compareTo(b.path()));
        state = State.FINISHED;
        summary = new Summary(format, out.root(), questions, duplicates, counts, entries, images, imageBytes,
                versions, minSeed, maxSeed);
        return summary;
    }

    @Override
    public final Path writeManifest(Manifest.Builder manifest) throws IOException {
        if (summary == null) {
            throw new IllegalStateException("writeManifest: call finish() first");
        }
        Path file = out.file("manifest.json");
        OutputDir.write(file, manifest.summary(summary).build().toJson().getBytes(StandardCharsets.UTF_8));
        return file;
    }

    @Override
    public final void close() throws IOException {
        if (state == State.OPEN || state == State.FAILED) {
            state = State.CLOSED;
            abandon();
        }
        state = State.CLOSED;
    }

    /** Writes one checked question. */
    abstract void append(Prepared p) throws IOException;

    /** Completes every file; returns the data files written (not the image files). */
    abstract List<Path> complete() throws IOException;

    /** Closes whatever is open, as it is. */
    abstract void abandon() throws IOException;
}
