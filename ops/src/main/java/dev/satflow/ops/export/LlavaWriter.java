package dev.satflow.ops.export;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.satflow.schema.QaRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * LLaVA conversation JSON: {@code llava_<split>.json}, one array, an entry per question:
 * <pre>{"id": qaId, "image": "images/scene-17/….png" (a list for 2 images),
 *  "conversations": [{"from": "human", "value": "&lt;image&gt;…\n" + question + " Answer the question using a single
 *      word or phrase. Choose between the following options: \"a\" or \"b\"."},
 *                    {"from": "gpt", "value": correct answer}],
 *  "sat": {"question_type", "template", "split", "scene_id", "held_out_phrasing"}}</pre>
 * Image paths are relative to the export directory (LLaVA's {@code --image_folder}). The human turn starts with
 * one {@code <image>} per image, as LLaVA-NeXT and the SAT authors' exporter expect; a single image is a plain
 * string, as LLaVA-1.5 requires.
 */
final class LlavaWriter extends BaseWriter {
    static final String INSTRUCTION =
            " Answer the question using a single word or phrase. Choose between the following options: ";

    private final Map<String, JsonStream> splits = new TreeMap<>();
    private final ImageFiles imageFiles;

    LlavaWriter(OutputDir out, Options options) {
        super(Format.LLAVA, out, options);
        this.imageFiles = new ImageFiles(out);
    }

    /** The human turn's text for a question with {@code images} images. */
    static String prompt(QaRecord q, int images) {
        StringBuilder b = new StringBuilder("<image>".repeat(images)).append('\n').append(q.getQuestion())
                .append(INSTRUCTION);
        List<String> choices = q.getChoices();
        for (int i = 0; i < choices.size(); i++) {
            b.append(i == 0 ? "" : " or ").append('"').append(choices.get(i)).append('"');
        }
        return b.append('.').toString();
    }

    @Override
    void append(Prepared p) throws IOException {
        JsonStream s = splits.get(p.split());
        if (s == null) {
            s = new JsonStream(out.file("llava_" + p.split() + ".json"), true);
            splits.put(p.split(), s);
        }
        List<String> paths = imageFiles.write(p);
        images = imageFiles.files;
        imageBytes = imageFiles.bytes;
        QaRecord q = p.q();
        JsonGenerator g = s.next();
        g.writeStartObject();
        g.writeStringField("id", q.getQaId());
        if (paths.size() == 1) {
            g.writeStringField("image", paths.get(0));
        } else {
            g.writeArrayFieldStart("image");
            for (String path : paths) {
                g.writeString(path);
            }
            g.writeEndArray();
        }
        g.writeArrayFieldStart("conversations");
        g.writeStartObject();
        g.writeStringField("from", "human");
        g.writeStringField("value", prompt(q, paths.size()));
        g.writeEndObject();
        g.writeStartObject();
        g.writeStringField("from", "gpt");
        g.writeStringField("value", q.getCorrectAnswer());
        g.writeEndObject();
        g.writeEndArray();
        g.writeObjectFieldStart("sat");
        g.writeStringField("question_type", q.getQuestionType());
        g.writeStringField("template", q.getTemplate());
        g.writeStringField("split", q.getSplit());
        g.writeStringField("scene_id", q.getSceneId());
        g.writeBooleanField("held_out_phrasing", q.getHeldOutPhrasing());
        g.writeEndObject();
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
