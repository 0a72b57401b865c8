package dev.satflow.ops.export;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.satflow.schema.FrameRef;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.Mark;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SourceRef;
import dev.satflow.schema.Subject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON lines: {@code <split>.jsonl}, one question per line with the record's fields in snake_case (qa_id,
 * scene_id, split, family, question_type, template, held_out_phrasing, question, choices, correct_index,
 * correct_answer, images (paths relative to the export directory), frames, marks, subjects, facts (sorted),
 * generator_version, lineage); image files beside it under {@code images/<scene>/}.
 */
final class JsonlWriter extends BaseWriter {
    private final Map<String, JsonStream> splits = new TreeMap<>();
    private final ImageFiles imageFiles;

    JsonlWriter(OutputDir out, Options options) {
        super(Format.JSONL, out, options);
        this.imageFiles = new ImageFiles(out);
    }

    @Override
    void append(Prepared p) throws IOException {
        JsonStream s = splits.get(p.split());
        if (s == null) {
            s = new JsonStream(out.file(p.split() + ".jsonl"), false);
            splits.put(p.split(), s);
        }
        List<String> paths = imageFiles.write(p);
        images = imageFiles.files;
        imageBytes = imageFiles.bytes;
        QaRecord q = p.q();
        JsonGenerator g = s.next();
        g.writeStartObject();
        g.writeStringField("qa_id", q.getQaId());
        g.writeStringField("scene_id", q.getSceneId());
        g.writeStringField("split", q.getSplit());
        g.writeStringField("family", q.getFamily());
        g.writeStringField("question_type", q.getQuestionType());
        g.writeStringField("template", q.getTemplate());
        g.writeBooleanField("held_out_phrasing", q.getHeldOutPhrasing());
        g.writeStringField("question", q.getQuestion());
        g.writeArrayFieldStart("choices");
        for (String c : q.getChoices()) {
            g.writeString(c);
        }
        g.writeEndArray();
        g.writeNumberField("correct_index", q.getCorrectIndex());
        g.writeStringField("correct_answer", q.getCorrectAnswer());
        g.writeArrayFieldStart("images");
        for (String path : paths) {
            g.writeString(path);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("frames");
        for (FrameRef f : q.getFrames()) {
            g.writeStartObject();
            g.writeStringField("view_id", f.getViewId());
            g.writeStringField("topic", f.getTopic());
            g.writeNumberField("partition", f.getPartition());
            g.writeNumberField("offset", f.getOffset());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("marks");
        for (Mark m : q.getMarks()) {
            g.writeStartObject();
            g.writeNumberField("image", m.getImage());
            g.writeStringField("kind", m.getKind());
            g.writeStringField("label", m.getLabel());
            g.writeNumberField("x", m.getX());
            g.writeNumberField("y", m.getY());
            g.writeNumberField("size", m.getSize());
            g.writeFieldName("box");
            if (m.getBox() == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                g.writeNumberField("x_min", m.getBox().getXMin());
                g.writeNumberField("y_min", m.getBox().getYMin());
                g.writeNumberField("x_max", m.getBox().getXMax());
                g.writeNumberField("y_max", m.getBox().getYMax());
                g.writeEndObject();
            }
            g.writeStringField("color", m.getColor());
            g.writeNumberField("object_id", m.getObjectId());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("subjects");
        for (Subject sub : q.getSubjects()) {
            g.writeStartObject();
            g.writeNumberField("object_id", sub.getObjectId());
            g.writeStringField("category", sub.getCategory());
            g.writeStringField("description", sub.getDescription());
            g.writeStringField("role", sub.getRole());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("facts");
        for (Map.Entry<String, String> e : new TreeMap<>(q.getFacts()).entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeStringField("generator_version", q.getGeneratorVersion());
        Lineage l = q.getLineage();
        g.writeFieldName("lineage");
        if (l == null) {
            g.writeNull();
        } else {
            g.writeStartObject();
            g.writeNumberField("scene_seed", l.getSceneSeed());
            g.writeStringField("scene_generator_version", l.getSceneGeneratorVersion());
            g.writeStringField("renderer_version", l.getRendererVersion());
            g.writeStringField("episode_id", l.getEpisodeId());
            g.writeArrayFieldStart("sources");
            for (SourceRef r : l.getSources()) {
                g.writeStartObject();
                g.writeStringField("topic", r.getTopic());
                g.writeNumberField("partition", r.getPartition());
                g.writeNumberField("offset", r.getOffset());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    @Override
    List<Path> complete() throws IOException {
        List<Path> files = new ArrayList<>();
        for (JsonStream s : splits.values()) {
            s.finish();
            files.add(s.file());
        }
        return files;
    }

    @Override
    void abandon() throws IOException {
        IOException first = null;
        for (JsonStream s : splits.values()) {
            try {
                s.abandon();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
