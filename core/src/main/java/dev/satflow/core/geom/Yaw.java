package dev.satflow.core.geom;

/**
 * The one heading convention of satflow, shared by cameras and objects.
 *
 * <p>World frame: metres, y up, right-handed. Yaw 0 faces -z; a positive yaw turns clockwise seen
 * from above (to the right), so yaw 90 faces +x. The local axes of anything with yaw θ map to
 * world as: right (local +x) = (cos θ, 0, sin θ), forward (local -z) = (sin θ, 0, -cos θ).
 * This is OpenGL's camera convention (looking down -z, +x right) with AI2-THOR's sign of yaw.
 */
public final class Yaw {
    private Yaw() {}

    public static Vec3d forward(double yawDeg) {
        double t = Math.toRadians(yawDeg);
        return new Vec3d(Math.sin(t), 0, -Math.cos(t));
    }

    public static Vec3d right(double yawDeg) {
        double t = Math.toRadians(yawDeg);
        return new Vec3d(Math.cos(t), 0, Math.sin(t));
    }

    /** Rotates a local offset (x right, y up, z back) into world axes. */
    public static Vec3d toWorld(double yawDeg, Vec3d local) {
        double t = Math.toRadians(yawDeg);
        double c = Math.cos(t);
        double s = Math.sin(t);
        return new Vec3d(local.x() * c - local.z() * s, local.y(), local.x() * s + local.z() * c);
    }

    /** Inverse of {@link #toWorld}. */
    public static Vec3d toLocal(double yawDeg, Vec3d world) {
        double t = Math.toRadians(yawDeg);
        double c = Math.cos(t);
        double s = Math.sin(t);
        return new Vec3d(world.x() * c + world.z() * s, world.y(), -world.x() * s + world.z() * c);
    }

    /** Heading that faces from {@code from} towards {@code to} in the floor plane. */
    public static double towards(Vec3d from, Vec3d to) {
        return Math.toDegrees(Math.atan2(to.x() - from.x(), -(to.z() - from.z())));
    }

    /** Wraps an angle to (-180, 180]. */
    public static double wrap(double deg) {
        double d = deg % 360;
        if (d <= -180) {
            d += 360;
        } else if (d > 180) {
            d -= 360;
        }
        return d;
    }
}
