package dev.satflow.core.geom;

import dev.satflow.schema.Vec3;

/** An immutable 3-vector in double precision; the Avro {@link Vec3} is float for the wire, maths runs here. */
public record Vec3d(double x, double y, double z) {
    public static final Vec3d ZERO = new Vec3d(0, 0, 0);
    public static final Vec3d UP = new Vec3d(0, 1, 0);

    public static Vec3d of(Vec3 v) {
        return new Vec3d(v.getX(), v.getY(), v.getZ());
    }

    public Vec3 toAvro() {
        return new Vec3((float) x, (float) y, (float) z);
    }

    public Vec3d plus(Vec3d o) {
        return new Vec3d(x + o.x, y + o.y, z + o.z);
    }

    public Vec3d minus(Vec3d o) {
        return new Vec3d(x - o.x, y - o.y, z - o.z);
    }

    public Vec3d times(double s) {
        return new Vec3d(x * s, y * s, z * s);
    }

    public double dot(Vec3d o) {
        return x * o.x + y * o.y + z * o.z;
    }

    public Vec3d cross(Vec3d o) {
        return new Vec3d(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x);
    }

    public double length() {
        return Math.sqrt(dot(this));
    }

    /** Distance in the floor plane (x,z), ignoring height. */
    public double horizontalDistance(Vec3d o) {
        return Math.hypot(x - o.x, z - o.z);
    }

    public double distance(Vec3d o) {
        return minus(o).length();
    }

    public Vec3d normalized() {
        double l = length();
        return l == 0 ? this : times(1 / l);
    }

    public boolean isFinite() {
        return Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(z);
    }
}
