package dev.satflow.producers.catalog;

import dev.satflow.core.geom.Vec3d;

/**
 * One solid of an object model, in the object's unit box: the object's bounding box is
 * [-0.5, 0.5]^3 scaled by the instance size, so a part with center (0, -0.25, 0) and size
 * (1, 0.5, 1) fills the lower half whatever the instance's dimensions.
 *
 * @param slot which of the instance's materials paints it
 */
public record Part(Primitive primitive, Vec3d center, Vec3d size, MaterialSlot slot) {

    public enum MaterialSlot {
        /** The instance's own colour (the one its description names). */
        PRIMARY,
        /** A second, category-typical material (wood legs, metal frame, pot). */
        SECONDARY,
        /** Small details (screen, handles, leaves). */
        ACCENT
    }

    public static Part box(double cx, double cy, double cz, double sx, double sy, double sz, MaterialSlot slot) {
        return new Part(Primitive.BOX, new Vec3d(cx, cy, cz), new Vec3d(sx, sy, sz), slot);
    }

    public static Part of(Primitive p, double cx, double cy, double cz, double sx, double sy, double sz,
            MaterialSlot slot) {
        return new Part(p, new Vec3d(cx, cy, cz), new Vec3d(sx, sy, sz), slot);
    }
}
