package dev.satflow.producers.render;

import dev.satflow.core.geom.Vec3d;
import dev.satflow.schema.Room;
import dev.satflow.schema.Vec2;
import dev.satflow.schema.WallFeature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Triangles of a room: floor and ceiling from the floor polygon (any simple polygon, either
 * winding; ear-clipped), a wall on every edge up to the room height, and door/window openings cut
 * out of the walls. A door is a recessed leaf with raised panels, frame and handle; a window is a
 * recessed bright pane (the outside) with mullions, frame and sill. Everything is id 0 (room).
 */
final class RoomGeometry {
    /** How deep the opening's reveal goes behind the wall plane, metres. */
    static final double REVEAL_DEPTH = 0.14;
    static final double DOOR_RECESS = 0.05;
    static final double GLASS_RECESS = 0.08;
    static final double TRIM_WIDTH = 0.07;
    static final double TRIM_PROUD = 0.015;
    /** How far wall rectangles reach under their neighbours, metres. */
    static final double SEAM_OVERLAP = 0.004;

    /** Which material a group of room triangles is painted with. */
    enum Surface { FLOOR, CEILING, WALL, TRIM, DOOR, HANDLE, GLASS }

    record Group(Surface surface, int firstIndex, int indexCount) {}

    /** The room's triangles grouped by surface; {@code min}/{@code max} bound the whole room. */
    record RoomMesh(MeshData mesh, List<Group> groups, Vec3d min, Vec3d max) {}

    private final Map<Surface, MeshBuilder> builders = new EnumMap<>(Surface.class);

    private RoomGeometry() {
        for (Surface s : Surface.values()) {
            builders.put(s, new MeshBuilder());
        }
    }

    static RoomMesh build(Room room) {
        List<Vec2> floor = room.getFloor();
        if (floor == null || floor.size() < 3) {
            throw new IllegalArgumentException("room floor polygon needs at least 3 vertices, has "
                    + (floor == null ? 0 : floor.size()));
        }
        double height = room.getHeight() > 0 ? room.getHeight() : 2.7;
        double[] xs = new double[floor.size()];
        double[] zs = new double[floor.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = floor.get(i).getX();
            zs[i] = floor.get(i).getZ();
        }
        RoomGeometry g = new RoomGeometry();
        g.floorAndCeiling(xs, zs, height);
        List<List<WallFeature>> perWall = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            perWall.add(new ArrayList<>());
        }
        for (WallFeature f : room.getFeatures()) {
            if (f.getWall() < 0 || f.getWall() >= xs.length) {
                throw new IllegalArgumentException("wall feature '" + f.getKind() + "' on wall " + f.getWall()
                        + " but the floor polygon has " + xs.length + " edges");
            }
            perWall.get(f.getWall()).add(f);
        }
        double orientation = Math.signum(signedArea(xs, zs));
        int n = xs.length;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            boolean convexStart = isConvex(xs, zs, (i + n - 1) % n, i, j, orientation);
            boolean convexEnd = isConvex(xs, zs, i, j, (j + 1) % n, orientation);
            g.wall(xs, zs, i, j, height, perWall.get(i), convexStart, convexEnd);
        }
        double minX = Arrays.stream(xs).min().orElseThrow();
        double maxX = Arrays.stream(xs).max().orElseThrow();
        double minZ = Arrays.stream(zs).min().orElseThrow();
        double maxZ = Arrays.stream(zs).max().orElseThrow();
        return g.merge(new Vec3d(minX, 0, minZ), new Vec3d(maxX, height, maxZ));
    }

    private RoomMesh merge(Vec3d min, Vec3d max) {
        int vertexFloats = 0;
        int indexTotal = 0;
        List<MeshData> parts = new ArrayList<>();
        for (MeshBuilder b : builders.values()) {
            MeshData d = b.build();
            parts.add(d);
            vertexFloats += d.vertices().length;
            indexTotal += d.indices().length;
        }
        float[] vertices = new float[vertexFloats];
        int[] indices = new int[indexTotal];
        List<Group> groups = new ArrayList<>();
        int vOffset = 0;
        int iOffset = 0;
        int s = 0;
        for (MeshData d : parts) {
            System.arraycopy(d.vertices(), 0, vertices, vOffset, d.vertices().length);
            int base = vOffset / MeshData.FLOATS_PER_VERTEX;
            for (int k = 0; k < d.indices().length; k++) {
                indices[iOffset + k] = d.indices()[k] + base;
            }
            if (d.indices().length > 0) {
                groups.add(new Group(Surface.values()[s], iOffset, d.indices().length));
            }
            vOffset += d.vertices().length;
            iOffset += d.indices().length;
            s++;
        }
        return new RoomMesh(new MeshData(vertices, indices), List.copyOf(groups), min, max);
    }

    // ---- floor and ceiling ----

    private void floorAndCeiling(double[] xs, double[] zs, double height) {
        MeshBuilder floor = builders.get(Surface.FLOOR);
        MeshBuilder ceiling = builders.get(Surface.CEILING);
        Vec3d up = Vec3d.UP;
        Vec3d down = new Vec3d(0, -1, 0);
        for (int[] t : triangulate(xs, zs)) {
            int a = floor.vertex(xs[t[0]], 0, zs[t[0]], 0, 1, 0);
            int b = floor.vertex(xs[t[1]], 0, zs[t[1]], 0, 1, 0);
            int c = floor.vertex(xs[t[2]], 0, zs[t[2]], 0, 1, 0);
            floor.triangle(a, b, c, up);
            a = ceiling.vertex(xs[t[0]], height, zs[t[0]], 0, -1, 0);
            b = ceiling.vertex(xs[t[1]], height, zs[t[1]], 0, -1, 0);
            c = ceiling.vertex(xs[t[2]], height, zs[t[2]], 0, -1, 0);
            ceiling.triangle(a, b, c, down);
        }
    }

    /** Ear clipping of a simple polygon in the (x,z) plane; triangles as vertex-index triples. */
    static List<int[]> triangulate(double[] xs, double[] zs) {
        int n = xs.length;
        List<Integer> remaining = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            remaining.add(i);
        }
        double orientation = Math.signum(signedArea(xs, zs));
        List<int[]> out = new ArrayList<>();
        int guard = 0;
        while (remaining.size() > 3 && guard++ < n * n) {
            boolean clipped = false;
            for (int k = 0; k < remaining.size(); k++) {
                int a = remaining.get((k + remaining.size() - 1) % remaining.size());
                int b = remaining.get(k);
                int c = remaining.get((k + 1) % remaining.size());
                if (cross(xs, zs, a, b, c) * orientation <= 1e-12 || containsOther(xs, zs, remaining, a, b, c)) {
                    continue;
                }
                out.add(new int[] {a, b, c});
                remaining.remove(k);
                clipped = true;
                break;
            }
            if (!clipped) {
                throw new IllegalArgumentException("room floor polygon is not simple (self-intersecting?)");
            }
        }
        out.add(new int[] {remaining.get(0), remaining.get(1), remaining.get(2)});
        return out;
    }

    static double signedArea(double[] xs, double[] zs) {
        double a = 0;
        for (int i = 0; i < xs.length; i++) {
            int j = (i + 1) % xs.length;
            a += xs[i] * zs[j] - xs[j] * zs[i];
        }
        return a / 2;
    }

    private static double cross(double[] xs, double[] zs, int a, int b, int c) {
        return (xs[b] - xs[a]) * (zs[c] - zs[a]) - (zs[b] - zs[a]) * (xs[c] - xs[a]);
    }

    private static boolean containsOther(double[] xs, double[] zs, List<Integer> poly, int a, int b, int c) {
        for (int p : poly) {
            if (p == a || p == b || p == c) {
                continue;
            }
            double d1 = side(xs, zs, p, a, b);
            double d2 = side(xs, zs, p, b, c);
            double d3 = side(xs, zs, p, c, a);
            boolean hasNeg = d1 < 0 || d2 < 0 || d3 < 0;
            boolean hasPos = d1 > 0 || d2 > 0 || d3 > 0;
            if (!(hasNeg && hasPos)) {
                return true;
            }
        }
        return false;
    }

    private static double side(double[] xs, double[] zs, int p, int a, int b) {
        return (xs[p] - xs[b]) * (zs[a] - zs[b]) - (xs[a] - xs[b]) * (zs[p] - zs[b]);
    }

    static boolean inside(double[] xs, double[] zs, double x, double z) {
        boolean in = false;
        for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
            if ((zs[i] > z) != (zs[j] > z) && x < (xs[j] - xs[i]) * (z - zs[i]) / (zs[j] - zs[i]) + xs[i]) {
                in = !in;
            }
        }
        return in;
    }

    // ---- walls ----

    /** One wall's frame: origin at the edge's start, {@code along} the edge, {@code inward} into the room. */
    private record WallFrame(Vec3d origin, Vec3d end, double length, Vec3d along, Vec3d inward) {
        Vec3d at(double s, double y, double t) {
            // the edge's end vertex exactly, so neighbouring walls share corner vertices bit for bit
            Vec3d base = s == length ? end : origin.plus(along.times(s));
            return base.plus(inward.times(t)).plus(new Vec3d(0, y, 0));
        }
    }

    /** An opening in wall coordinates: s along the wall, y up. */
    private record Opening(WallFeature feature, double s0, double s1, double y0, double y1) {
        boolean isDoor() {
            return !"window".equalsIgnoreCase(feature.getKind());
        }
    }

    private void wall(double[] xs, double[] zs, int i, int j, double height, List<WallFeature> features,
            boolean convexStart, boolean convexEnd) {
        double dx = xs[j] - xs[i];
        double dz = zs[j] - zs[i];
        double length = Math.hypot(dx, dz);
        if (length < 1e-6) {
            return;
        }
        Vec3d along = new Vec3d(dx / length, 0, dz / length);
        Vec3d inward = new Vec3d(-along.z(), 0, along.x());
        double mx = (xs[i] + xs[j]) / 2;
        double mz = (zs[i] + zs[j]) / 2;
        if (!inside(xs, zs, mx + inward.x() * 1e-3, mz + inward.z() * 1e-3)) {
            inward = inward.times(-1);
        }
        WallFrame frame = new WallFrame(new Vec3d(xs[i], 0, zs[i]), new Vec3d(xs[j], 0, zs[j]), length, along, inward);

        List<Opening> openings = new ArrayList<>();
        for (WallFeature f : features) {
            double s0 = Math.max(0.02, f.getOffset() - f.getWidth() / 2);
            double s1 = Math.min(length - 0.02, f.getOffset() + f.getWidth() / 2);
            double y0 = Math.max(0, f.getBottom());
            double y1 = Math.min(height - 0.02, f.getBottom() + f.getHeight());
            if (s1 - s0 > 0.05 && y1 - y0 > 0.05) {
                openings.add(new Opening(f, s0, s1, y0, y1));
            }
        }
        wallSurface(frame, length, height, openings, convexStart, convexEnd);
        for (Opening o : openings) {
            opening(frame, o);
        }
    }

    /**
     * The wall plane minus the openings, as rectangles: columns between opening edges, rows between
     * holes. Rectangles overlap their neighbours by {@link #SEAM_OVERLAP} and reach past the floor,
     * the ceiling and convex corners, because abutting edges with T-junctions leave pixel cracks.
     */
    private void wallSurface(WallFrame f, double length, double height, List<Opening> openings,
            boolean convexStart, boolean convexEnd) {
        List<Double> cuts = new ArrayList<>(List.of(0.0, length));
        for (Opening o : openings) {
            cuts.add(o.s0);
            cuts.add(o.s1);
        }
        cuts.sort(Double::compare);
        MeshBuilder wall = builders.get(Surface.WALL);
        for (int c = 0; c + 1 < cuts.size(); c++) {
            double s0 = cuts.get(c);
            double s1 = cuts.get(c + 1);
            if (s1 - s0 < 1e-6) {
                continue;
            }
            double mid = (s0 + s1) / 2;
            List<double[]> holes = new ArrayList<>();
            for (Opening o : openings) {
                if (o.s0 < mid && mid < o.s1) {
                    holes.add(new double[] {o.y0, o.y1});
                }
            }
            holes.sort((a, b) -> Double.compare(a[0], b[0]));
            double left = c == 0 ? (convexStart ? -SEAM_OVERLAP : 0) : s0 - SEAM_OVERLAP;
            double right = c + 2 == cuts.size() ? (convexEnd ? s1 + SEAM_OVERLAP : s1) : s1 + SEAM_OVERLAP;
            double y = -SEAM_OVERLAP;
            for (double[] h : holes) {
                if (h[0] > y) {
                    rect(wall, f, left, right, y, h[0]);
                }
                y = Math.max(y, h[1]);
            }
            if (y < height) {
                rect(wall, f, left, right, y, height + SEAM_OVERLAP);
            }
        }
    }

    /** Whether the polygon turns towards its inside at vertex b (interior angle under 180 degrees). */
    private static boolean isConvex(double[] xs, double[] zs, int a, int b, int c, double orientation) {
        return cross(xs, zs, a, b, c) * orientation > 0;
    }

    private static void rect(MeshBuilder b, WallFrame f, double s0, double s1, double y0, double y1) {
        b.quad(f.at(s0, y0, 0), f.at(s1, y0, 0), f.at(s1, y1, 0), f.at(s0, y1, 0), f.inward());
    }

    private void opening(WallFrame f, Opening o) {
        MeshBuilder trim = builders.get(Surface.TRIM);
        double d = -REVEAL_DEPTH;
        Vec3d up = Vec3d.UP;
        Vec3d down = new Vec3d(0, -1, 0);
        // reveals: the wall's thickness seen inside the opening
        MeshBuilder reveal = builders.get(Surface.WALL);
        reveal.quad(f.at(o.s0, o.y0, 0), f.at(o.s0, o.y1, 0), f.at(o.s0, o.y1, d), f.at(o.s0, o.y0, d), f.along());
        reveal.quad(f.at(o.s1, o.y0, 0), f.at(o.s1, o.y1, 0), f.at(o.s1, o.y1, d), f.at(o.s1, o.y0, d),
                f.along().times(-1));
        reveal.quad(f.at(o.s0, o.y1, 0), f.at(o.s1, o.y1, 0), f.at(o.s1, o.y1, d), f.at(o.s0, o.y1, d), down);
        if (o.isDoor()) { // threshold; a window's sill covers its bottom reveal
            trim.quad(f.at(o.s0, o.y0, 0), f.at(o.s1, o.y0, 0), f.at(o.s1, o.y0, d), f.at(o.s0, o.y0, d), up);
        }

        // architrave: two jambs and a head standing proud of the wall
        double w = TRIM_WIDTH;
        double jambBottom = o.isDoor() ? o.y0 : o.y0 - w;
        box(trim, f, o.s0 - w / 2, (jambBottom + o.y1 + w) / 2, TRIM_PROUD / 2, w / 2, (o.y1 + w - jambBottom) / 2,
                TRIM_PROUD / 2);
        box(trim, f, o.s1 + w / 2, (jambBottom + o.y1 + w) / 2, TRIM_PROUD / 2, w / 2, (o.y1 + w - jambBottom) / 2,
                TRIM_PROUD / 2);
        box(trim, f, (o.s0 + o.s1) / 2, o.y1 + w / 2, TRIM_PROUD / 2, (o.s1 - o.s0) / 2, w / 2, TRIM_PROUD / 2);

        double sMid = (o.s0 + o.s1) / 2;
        double width = o.s1 - o.s0;
        double height = o.y1 - o.y0;
        if (o.isDoor()) {
            MeshBuilder door = builders.get(Surface.DOOR);
            door.quad(f.at(o.s0, o.y0, -DOOR_RECESS), f.at(o.s1, o.y0, -DOOR_RECESS), f.at(o.s1, o.y1, -DOOR_RECESS),
                    f.at(o.s0, o.y1, -DOOR_RECESS), f.inward());
            // two raised panels make the leaf read as a door even in flat light
            double margin = Math.min(0.12, width * 0.15);
            double panelW = width / 2 - margin;
            double lowerH = height * 0.42;
            double upperH = height - lowerH - 3 * margin;
            if (panelW > 0.05 && upperH > 0.1) {
                box(door, f, sMid, o.y0 + margin + lowerH / 2, -DOOR_RECESS + 0.01, panelW, lowerH / 2 - margin / 2,
                        0.01);
                box(door, f, sMid, o.y1 - margin - upperH / 2, -DOOR_RECESS + 0.01, panelW, upperH / 2, 0.01);
            }
            double handleS = o.s1 - Math.min(0.09, width * 0.12);
            double handleY = o.y0 + Math.min(1.0, height * 0.48);
            box(builders.get(Surface.HANDLE), f, handleS, handleY, -DOOR_RECESS + 0.035, 0.015, 0.015, 0.035);
            box(builders.get(Surface.HANDLE), f, handleS - 0.05, handleY, -DOOR_RECESS + 0.07, 0.065, 0.012, 0.012);
        } else {
            builders.get(Surface.GLASS).quad(f.at(o.s0, o.y0, -GLASS_RECESS), f.at(o.s1, o.y0, -GLASS_RECESS),
                    f.at(o.s1, o.y1, -GLASS_RECESS), f.at(o.s0, o.y1, -GLASS_RECESS), f.inward());
            double bar = 0.025;
            box(trim, f, sMid, (o.y0 + o.y1) / 2, -GLASS_RECESS + bar, bar, height / 2, bar);
            box(trim, f, sMid, o.y0 + height * 0.55, -GLASS_RECESS + bar, width / 2, bar, bar);
            // sill: a ledge under the opening, sticking out into the room
            box(trim, f, sMid, o.y0 - 0.02, 0.05 - REVEAL_DEPTH / 2, width / 2 + w, 0.02,
                    0.05 + REVEAL_DEPTH / 2);
        }
    }

    private static void box(MeshBuilder b, WallFrame f, double s, double y, double t, double hs, double hy, double ht) {
        b.box(f.at(s, y, t), f.along(), Vec3d.UP, f.inward(), hs, hy, ht);
    }
}
