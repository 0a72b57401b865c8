package dev.satflow.qa.questions;

import dev.satflow.qa.SourcedFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One question before it becomes a record: type, text, the correct option first and its
 * distractors, the images shown, the frames consulted and the geometry behind the answer.
 * The deriver shuffles the options; a draft never knows where the answer lands.
 */
final class Draft {
    final String type;
    final String question;
    final String correct;
    final List<String> distractors;
    final List<Image> images = new ArrayList<>();
    final List<SourcedFrame> consulted = new ArrayList<>();
    final Map<String, String> facts = new LinkedHashMap<>();
    String episodeId;

    /** An image shown with the question: a rendered view's bytes, or the same view with a mark drawn on it. */
    record Image(String viewId, String format, byte[] bytes) {}

    Draft(String type, String question, String correct, List<String> distractors) {
        if (distractors.isEmpty() || distractors.contains(correct)) {
            throw new IllegalStateException(type + ": distractors " + distractors + " must be non-empty and exclude '"
                    + correct + "'");
        }
        if (distractors.stream().distinct().count() != distractors.size()) {
            throw new IllegalStateException(type + ": duplicate distractors " + distractors);
        }
        this.type = type;
        this.question = question;
        this.correct = correct;
        this.distractors = List.copyOf(distractors);
    }

    /** What balancing alternates on: the answer's text. */
    String correctKind() {
        return correct;
    }

    Draft show(SceneViews.ViewData v) {
        images.add(new Image(v.id(), v.frame().getImageFormat(), bytes(v)));
        return consult(v);
    }

    Draft show(SceneViews.ViewData v, byte[] marked) {
        images.add(new Image(v.id(), v.frame().getImageFormat(), marked));
        return consult(v);
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

    private static byte[] bytes(SceneViews.ViewData v) {
        var buf = v.frame().getImage().duplicate();
        byte[] b = new byte[buf.remaining()];
        buf.get(b);
        return b;
    }
}
