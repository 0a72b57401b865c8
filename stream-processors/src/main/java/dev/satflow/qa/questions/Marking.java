package dev.satflow.qa.questions;

import dev.satflow.core.marks.MarkPainter;
import dev.satflow.qa.questions.SceneViews.ViewData;
import dev.satflow.schema.Box2d;
import dev.satflow.schema.Mark;
import dev.satflow.schema.ObjectAnnotation;
import java.util.List;

/**
 * Where the marks of a question go (sat.md §1.0): lettered dots (A red, B blue, C green) or
 * red/blue/green boxes on the objects a
 * static question names, numbered dots on those a dynamic one names, the 'X' at a perspective probe.
 * Marks are data on the record; one painter (core/marks) draws them for every consumer.
 *
 * <p>A mark must never hide the object it names. A dot sits on the object's label point (the
 * visible pixel furthest from anything else, from the renderer's id buffer), no larger than the
 * object's inscribed circle there and covering at most {@link #MAX_COVER} of its visible pixels;
 * when no such dot fits (or the frame has no label point), a box drawn just outside the object's
 * 2D box is used instead, which covers none of it.
 */
final class Marking {
    private Marking() {}

    /** Largest share of an object's visible pixels a dot may cover. */
    static final double MAX_COVER = 0.2;
    static final String RED = "#e61414";
    static final String BLUE = "#1450e6";
    static final String GREEN = "#14a03c";
    private static final List<String> BOX_COLOURS = List.of(RED, BLUE, GREEN);
    private static final List<String> BOX_COLOUR_NAMES = List.of("red", "blue", "green");

    /** SAT's dot radius (15 px at 512 px), scaled to the frame. */
    static double maxDotRadius(int width) {
        return 15.0 * width / 512;
    }

    /** Smallest dot worth drawing: a label must still be legible to a person. */
    static double minDotRadius(int width) {
        return Math.max(3.0, 5.0 * width / 512);
    }

    /** The white rim the painter draws round a dot, outside its radius. */
    static double rim(int width) {
        return MarkPainter.rimWidth(width);
    }

    /** A red dot on the object, or null when no dot fits without covering too much of it. */
    static Mark dot(ViewData v, int objectId, String label, int image) {
        return dot(v, objectId, label, image, RED);
    }

    /**
     * A dot in the colour of its role (A red, B blue, C green, like SAT's boxes): a letter is a few
     * pixels at the sizes models see, a colour is not.
     */
    static Mark dot(ViewData v, int objectId, int role, String label, int image) {
        return dot(v, objectId, label, image, BOX_COLOURS.get(role % 3));
    }

    private static Mark dot(ViewData v, int objectId, String label, int image, String colour) {
        ObjectAnnotation a = v.annotation(objectId);
        if (a == null || a.getVisiblePixels() <= 0 || a.getLabelRadius() <= 0) {
            return null;
        }
        // labelRadius runs centre to centre: a disc of labelRadius - sqrt(1/2) stays on the object's pixels
        double r = Math.min(maxDotRadius(v.width), Math.min(a.getLabelRadius() - Math.sqrt(0.5),
                Math.sqrt(MAX_COVER * a.getVisiblePixels() / Math.PI)) - rim(v.width));
        if (r < minDotRadius(v.width)) {
            return null;
        }
        return Mark.newBuilder().setImage(image).setKind("dot").setLabel(label).setX(a.getLabelX())
                .setY(a.getLabelY()).setSize((float) r).setBox(null).setColor(colour).setObjectId(objectId).build();
    }

    /** A box round the object's visible 2D box in the colour of its role (A red, B blue, C green). */
    static Mark box(ViewData v, int objectId, int role, String label, int image) {
        Box2d b = v.annotation(objectId).getBox();
        return Mark.newBuilder().setImage(image).setKind("box").setLabel(label)
                .setX((b.getXMin() + b.getXMax() + 1) / 2f).setY((b.getYMin() + b.getYMax() + 1) / 2f).setSize(0f)
                .setBox(Box2d.newBuilder(b).build()).setColor(BOX_COLOURS.get(role % 3)).setObjectId(objectId).build();
    }

    static String boxColourName(int role) {
        return BOX_COLOUR_NAMES.get(role % 3);
    }

    /** SAT's 'X' at an image point. */
    static Mark cross(int width, double u, double v, int image) {
        return Mark.newBuilder().setImage(image).setKind("cross").setLabel("X").setX((float) u).setY((float) v)
                .setSize((float) Math.max(4, width / 40.0)).setBox(null).setColor(RED).setObjectId(0).build();
    }
}
