package dev.satflow.producers.generate;

import dev.satflow.core.geom.Vec3d;
import dev.satflow.core.geom.Yaw;
import dev.satflow.schema.Vec2;
import java.util.ArrayList;
import java.util.List;

/**
 * A room's floor polygon with the queries placement needs: point and rectangle containment
 * (L-shapes included), distance to the walls, and each wall's frame (along, inward normal).
 * Coordinates are the float values the spec carries, so checks here and on the spec agree.
 */
public final class FloorPlan {
    /** One edge of the polygon: from (x0,z0) to (x1,z1), {@code along} unit, {@code inward} into the room. */
    public record Wall(int index, double x0, double z0, double x1, double z1, double length, Vec3d along,
            Vec3d inward) {
        /** The floor point {@code s} metres along the wall and {@code in} metres into the room. */
        public Vec3d at(double s, double in) {
            return new Vec3d(x0 + along.x() * s + inward.x() * in, 0, z0 + along.z() * s + inward.z() * in);
        }

        /** Heading of something standing at this wall and facing into the room. */
        public double facingYaw() {
            return Yaw.wrap(Math.toDegrees(Math.atan2(inward.x(), -inward.z())) + 0.0);
        }

        /** Position of (x, z) along the wall, metres from its start. */
        public double along(double x, double z) {
            return (x - x0) * along.x() + (z - z0) * along.z();
        }

        /** Distance of (x, z) from the wall's line, positive into the room. */
        public double depth(double x, double z) {
            return (x - x0) * inward.x() + (z - z0) * inward.z();
        }
    }

    private final double[] xs;
    private final double[] zs;
    private final List<Wall> walls;
    private final double area;

    public FloorPlan(List<Vec2> floor) {
        int n = floor.size();
        if (n < 3) {
            throw new IllegalArgumentException("floor polygon needs at least 3 vertices, has " + n);
        }
        xs = new double[n];
        zs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = floor.get(i).getX();
            zs[i] = floor.get(i).getZ();
        }
        area = Math.abs(signedArea(xs, zs));
        List<Wall> w = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            double dx = xs[j] - xs[i];
            double dz = zs[j] - zs[i];
            double len = Math.hypot(dx, dz);
            Vec3d along = new Vec3d(dx / len, 0, dz / len);
            Vec3d inward = new Vec3d(-along.z(), 0, along.x());
            double mx = (xs[i] + xs[j]) / 2;
            double mz = (zs[i] + zs[j]) / 2;
            if (!contains(mx + inward.x() * 1e-3, mz + inward.z() * 1e-3)) {
                inward = inward.times(-1);
            }
            w.add(new Wall(i, xs[i], zs[i], xs[j], zs[j], len, along, inward));
        }
        walls = List.copyOf(w);
    }

    /** Shoelace area in (x, z); negative for the spec's winding (counter-clockwise seen from above, y up). */
    public static double signedArea(double[] xs, double[] zs) {
        double a = 0;
        for (int i = 0; i < xs.length; i++) {
            int j = (i + 1) % xs.length;
            a += xs[i] * zs[j] - xs[j] * zs[i];
        }
        return a / 2;
    }

    public List<Wall> walls() {
        return walls;
    }

    /** Signed shoelace area of this polygon (negative for the spec's winding). */
    public double signedArea() {
        return signedArea(xs, zs);
    }

    public double area() {
        return area;
    }

    public int vertexCount() {
        return xs.length;
    }

    public double x(int i) {
        return xs[i];
    }

    public double z(int i) {
        return zs[i];
    }

    public double minX() {
        return min(xs);
    }

    public double maxX() {
        return max(xs);
    }

    public double minZ() {
        return min(zs);
    }

    public double maxZ() {
        return max(zs);
    }

    /** Even-odd point-in-polygon test. */
    public boolean contains(double x, double z) {
        boolean in = false;
        for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
            if ((zs[i] > z) != (zs[j] > z) && x < (xs[j] - xs[i]) * (z - zs[i]) / (zs[j] - zs[i]) + xs[i]) {
                in = !in;
            }
        }
        return in;
    }

    /** Distance from (x, z) to the nearest wall (the polygon's boundary). */
    public double distanceToWalls(double x, double z) {
        double best = Double.MAX_VALUE;
        for (Wall w : walls) {
            double t = Math.max(0, Math.min(w.length(), w.along(x, z)));
            double px = w.x0() + w.along().x() * t;
            double pz = w.z0() + w.along().z() * t;
            best = Math.min(best, Math.hypot(x - px, z - pz));
        }
        return best;
    }

    /** True when (x, z) is inside and at least {@code clearance} from every wall. */
    public boolean containsWithClearance(double x, double z, double clearance) {
        return contains(x, z) && distanceToWalls(x, z) >= clearance;
    }

    /**
     * True when the convex footprint (corners {x, z} in order) lies wholly inside the polygon:
     * every corner inside, no polygon vertex inside it, and no edge crossing (the reflex corner of
     * an L can poke into a rectangle whose four corners are all inside).
     */
    public boolean containsFootprint(double[][] corners) {
        for (double[] c : corners) {
            if (!contains(c[0], c[1])) {
                return false;
            }
        }
        for (int i = 0; i < xs.length; i++) {
            if (insideConvex(corners, xs[i], zs[i])) {
                return false;
            }
        }
        for (int a = 0; a < corners.length; a++) {
            double[] p = corners[a];
            double[] q = corners[(a + 1) % corners.length];
            for (int i = 0; i < xs.length; i++) {
                int j = (i + 1) % xs.length;
                if (segmentsCross(p[0], p[1], q[0], q[1], xs[i], zs[i], xs[j], zs[j])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean insideConvex(double[][] poly, double x, double z) {
        int sign = 0;
        for (int i = 0; i < poly.length; i++) {
            double[] p = poly[i];
            double[] q = poly[(i + 1) % poly.length];
            double c = (q[0] - p[0]) * (z - p[1]) - (q[1] - p[1]) * (x - p[0]);
            int s = c > 1e-12 ? 1 : c < -1e-12 ? -1 : 0;
            if (s == 0) {
                return false; // on the boundary counts as outside: touching is allowed
            }
            if (sign == 0) {
                sign = s;
            } else if (s != sign) {
                return false;
            }
        }
        return true;
    }

    /** Proper crossing of two segments (touching end points does not count). */
    static boolean segmentsCross(double ax, double az, double bx, double bz, double cx, double cz, double dx,
            double dz) {
        double d1 = cross(cx, cz, dx, dz, ax, az);
        double d2 = cross(cx, cz, dx, dz, bx, bz);
        double d3 = cross(ax, az, bx, bz, cx, cz);
        double d4 = cross(ax, az, bx, bz, dx, dz);
        return ((d1 > 1e-12 && d2 < -1e-12) || (d1 < -1e-12 && d2 > 1e-12))
                && ((d3 > 1e-12 && d4 < -1e-12) || (d3 < -1e-12 && d4 > 1e-12));
    }

    private static double cross(double ax, double az, double bx, double bz, double px, double pz) {
        return (bx - ax) * (pz - az) - (bz - az) * (px - ax);
    }

    private static double min(double[] v) {
        double m = v[0];
        for (double d : v) {
            m = Math.min(m, d);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = v[0];
        for (double d : v) {
            m = Math.max(m, d);
        }
        return m;
    }
}
