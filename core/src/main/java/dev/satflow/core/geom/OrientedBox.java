package dev.satflow.core.geom;

import dev.satflow.schema.SceneObject;

/**
 * An object's bounding box: centre, full extents in its own frame, and yaw. Used for placement
 * (footprint overlap), visibility estimates (corners) and answers that need extents.
 */
public record OrientedBox(Vec3d center, Vec3d size, double yawDeg) {

    public static OrientedBox of(SceneObject o) {
        return new OrientedBox(Vec3d.of(o.getPosition()), Vec3d.of(o.getSize()), o.getYawDeg());
    }

    public OrientedBox movedTo(Vec3d newCenter) {
        return new OrientedBox(newCenter, size, yawDeg);
    }

    public double bottom() {
        return center.y() - size.y() / 2;
    }

    public double top() {
        return center.y() + size.y() / 2;
    }

    /** The 8 corners in world coordinates. */
    public Vec3d[] corners() {
        Vec3d[] c = new Vec3d[8];
        int i = 0;
        for (int sx = -1; sx <= 1; sx += 2) {
            for (int sy = -1; sy <= 1; sy += 2) {
                for (int sz = -1; sz <= 1; sz += 2) {
                    Vec3d local = new Vec3d(sx * size.x() / 2, sy * size.y() / 2, sz * size.z() / 2);
                    c[i++] = center.plus(Yaw.toWorld(yawDeg, local));
                }
            }
        }
        return c;
    }

    /** The 4 footprint corners as {x, z} pairs in world axes, each side pushed out by {@code grow}. */
    public double[][] footprint(double grow) {
        double hx = size.x() / 2 + grow;
        double hz = size.z() / 2 + grow;
        double[][] local = {{-hx, -hz}, {hx, -hz}, {hx, hz}, {-hx, hz}};
        double[][] out = new double[4][];
        for (int i = 0; i < 4; i++) {
            Vec3d w = Yaw.toWorld(yawDeg, new Vec3d(local[i][0], 0, local[i][1]));
            out[i] = new double[] {center.x() + w.x(), center.z() + w.z()};
        }
        return out;
    }

    /** True when the footprints, each grown by {@code margin}, overlap (separating-axis test). */
    public boolean footprintOverlaps(OrientedBox other, double margin) {
        double[][] a = footprint(margin / 2);
        double[][] b = other.footprint(margin / 2);
        return !separated(a, b) && !separated(b, a);
    }

    /** True when the vertical extents overlap. */
    public boolean verticalOverlap(OrientedBox other) {
        return bottom() < other.top() && other.bottom() < top();
    }

    public boolean intersects(OrientedBox other, double margin) {
        return verticalOverlap(other) && footprintOverlaps(other, margin);
    }

    /** True when the footprint point (x,z) lies inside this box's footprint. */
    public boolean footprintContains(double x, double z) {
        Vec3d local = Yaw.toLocal(yawDeg, new Vec3d(x - center.x(), 0, z - center.z()));
        return Math.abs(local.x()) <= size.x() / 2 && Math.abs(local.z()) <= size.z() / 2;
    }

    private static boolean separated(double[][] a, double[][] b) {
        for (int i = 0; i < a.length; i++) {
            double[] p = a[i];
            double[] q = a[(i + 1) % a.length];
            double nx = q[1] - p[1];
            double nz = p[0] - q[0];
            double minA = Double.MAX_VALUE;
            double maxA = -Double.MAX_VALUE;
            double minB = Double.MAX_VALUE;
            double maxB = -Double.MAX_VALUE;
            for (double[] v : a) {
                double d = v[0] * nx + v[1] * nz;
                minA = Math.min(minA, d);
                maxA = Math.max(maxA, d);
            }
            for (double[] v : b) {
                double d = v[0] * nx + v[1] * nz;
                minB = Math.min(minB, d);
                maxB = Math.max(maxB, d);
            }
            if (maxA < minB || maxB < minA) {
                return true;
            }
        }
        return false;
    }
}
