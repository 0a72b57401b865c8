package dev.satflow.producers.catalog;

import dev.satflow.core.geom.Vec3d;
import java.util.List;

/**
 * What the generator and the renderer know about one object category.
 *
 * @param name        category name as it appears in questions ("mug", "sofa")
 * @param parts       the solids it is drawn with, in its unit box (see {@link Part})
 * @param minSize     smallest bounding box (width x, height y, depth z) in metres
 * @param maxSize     largest bounding box
 * @param placement   where instances go
 * @param movable     whether object-displacement episodes may move it
 * @param surfaceHeight for objects others can stand on: height of the top surface as a fraction of
 *                    the object's height (1 = its top); 0 when nothing can stand on it
 */
public record CategorySpec(
        String name,
        List<Part> parts,
        Vec3d minSize,
        Vec3d maxSize,
        Placement placement,
        boolean movable,
        double surfaceHeight) {

    public enum Placement {
        /** Free-standing on the floor, anywhere with clearance. */
        FLOOR,
        /** On the floor with its back (local +z side) against a wall. */
        AGAINST_WALL,
        /** Resting on top of a supporting object (table, shelf, desk...). */
        ON_SURFACE,
        /** Hanging on a wall above the floor (paintings). */
        ON_WALL
    }

    public CategorySpec {
        parts = List.copyOf(parts);
    }

    public boolean canSupport() {
        return surfaceHeight > 0;
    }

    /** Tallest a floor covering may be; anything thinner that lies on the floor is walked and stood on. */
    public static final double FLOOR_COVERING_MAX_HEIGHT = 0.03;

    /**
     * A rug-like object: it lies flat on the floor and furniture may stand over it (on the floor,
     * through its pile), so it blocks neither walking nor placement.
     */
    public boolean isFloorCovering() {
        return placement == Placement.FLOOR && maxSize.y() <= FLOOR_COVERING_MAX_HEIGHT;
    }

    /** Height of the top surface others rest on, for an instance whose box is centred at {@code centerY}. */
    public double surfaceY(double centerY, double height) {
        return centerY - height / 2 + surfaceHeight * height;
    }
}
