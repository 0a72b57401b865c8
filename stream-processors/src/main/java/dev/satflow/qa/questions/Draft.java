package dev.satflow.qa.questions;

import dev.satflow.qa.SourcedFrame;
import dev.satflow.schema.Mark;
import dev.satflow.schema.Subject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One question before it becomes a record: its phrasing (template, text, the correct option and its
 * distractors), the views shown and the marks to draw on them, the objects it names, the frames
 * consulted and the geometry behind the answer. The deriver shuffles the options; a draft never
 * knows where the answer lands.
 */
final class Draft {
    final String type;
    final Phrasings.Ask ask;
    final List<SceneViews.ViewData> images = new ArrayList<>();
    final List<Mark> marks = new ArrayList<>();
    final List<Subject> subjects = new ArrayList<>();
    final List<SourcedFrame> consulted = new ArrayList<>();
    final Map<String, String> facts = new LinkedHashMap<>();
    String episodeId;

    Draft(String type, Phrasings.Ask ask) {
        List<String> distractors = ask.distractors();
        if (distractors.isEmpty() || distractors.contains(ask.correct())) {
            throw new IllegalStateException(type + ": distractors " + distractors + " must be non-empty and exclude '"
                    + ask.correct() + "'");
        }
        if (distractors.stream().distinct().count() != distractors.size()) {
            throw new IllegalStateException(type + ": duplicate distractors " + distractors);
        }
        this.type = type;
        this.ask = ask;
    }

    String question() {
        return ask.question();
    }

    String correct() {
        return ask.correct();
    }

    List<String> distractors() {
        return ask.distractors();
    }

    /** Shows a view as the next image; returns its index for marks. */
    int show(SceneViews.ViewData v) {
        images.add(v);
        consult(v);
        return images.size() - 1;
    }

    Draft mark(Mark m) {
        marks.add(m);
        return this;
    }

    Draft subject(SceneViews scene, int objectId, String role) {
        var o = scene.objects.get(objectId);
        subjects.add(Subject.newBuilder().setObjectId(objectId).setCategory(o.getCategory())
                .setDescription(o.getDescription()).setRole(role).build());
        return this;
    }

    Draft consult(SceneViews.ViewData v) {
        if (!consulted.contains(v.source)) {
            consulted.add(v.source);
        }
        return this;
    }

    Draft episode(String id) {
        this.episodeId = id;
        return this;
    }

    Draft fact(String key, double value) {
        facts.put(key, String.format(Locale.ROOT, "%.3f", value));
        return this;
    }

    Draft fact(String key, String value) {
        facts.put(key, value);
        return this;
    }
}
