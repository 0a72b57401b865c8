package dev.satflow.producers.render;

import dev.satflow.core.geom.Vec3d;
import dev.satflow.producers.catalog.Primitive;
import java.util.EnumMap;
import java.util.Map;

/** The catalog's primitives as meshes filling the unit cube [-0.5, 0.5]^3, outward normals. */
final class UnitMeshes {
    static final int ROUND_SEGMENTS = 32;
    static final int SPHERE_RINGS = 16;

    private UnitMeshes() {}

    static Map<Primitive, MeshData> all() {
        Map<Primitive, MeshData> m = new EnumMap<>(Primitive.class);
        for (Primitive p : Primitive.values()) {
            m.put(p, of(p));
        }
        return m;
    }

    static MeshData of(Primitive p) {
        return switch (p) {
            case BOX -> box();
            case CYLINDER -> cylinder(ROUND_SEGMENTS);
            case SPHERE -> sphere(ROUND_SEGMENTS, SPHERE_RINGS);
            case CONE -> cone(ROUND_SEGMENTS);
            case TUBE -> tube(ROUND_SEGMENTS, Primitive.TUBE_WALL);
            case CYLINDER_Z -> cylinderAlongZ(ROUND_SEGMENTS);
        };
    }

    static MeshData box() {
        MeshBuilder b = new MeshBuilder();
        b.box(Vec3d.ZERO, new Vec3d(1, 0, 0), Vec3d.UP, new Vec3d(0, 0, 1), 0.5, 0.5, 0.5);
        return b.build();
    }

    static MeshData cylinder(int segments) {
        MeshBuilder b = new MeshBuilder();
        for (int i = 0; i < segments; i++) {
            double a0 = angle(i, segments);
            double a1 = angle(i + 1, segments);
            Vec3d n0 = new Vec3d(Math.cos(a0), 0, Math.sin(a0));
            Vec3d n1 = new Vec3d(Math.cos(a1), 0, Math.sin(a1));
            int b0 = b.vertex(n0.times(0.5).plus(new Vec3d(0, -0.5, 0)), n0);
            int t0 = b.vertex(n0.times(0.5).plus(new Vec3d(0, 0.5, 0)), n0);
            int b1 = b.vertex(n1.times(0.5).plus(new Vec3d(0, -0.5, 0)), n1);
            int t1 = b.vertex(n1.times(0.5).plus(new Vec3d(0, 0.5, 0)), n1);
            b.triangle(b0, t0, t1);
            b.triangle(b0, t1, b1);
        }
        cap(b, segments, 0.5, Vec3d.UP);
        cap(b, segments, -0.5, new Vec3d(0, -1, 0));
        return b.build();
    }

    /** Open-topped cup: outer wall, inner wall, rim ring, outer bottom and the inner floor. */
    static MeshData tube(int segments, double wall) {
        MeshBuilder b = new MeshBuilder();
        double ro = 0.5;
        double ri = 0.5 - wall;
        double floor = -0.5 + wall;
        for (int i = 0; i < segments; i++) {
            double a0 = angle(i, segments);
            double a1 = angle(i + 1, segments);
            Vec3d n0 = new Vec3d(Math.cos(a0), 0, Math.sin(a0));
            Vec3d n1 = new Vec3d(Math.cos(a1), 0, Math.sin(a1));
            // outside, normals outwards
            int b0 = b.vertex(n0.times(ro).plus(new Vec3d(0, -0.5, 0)), n0);
            int t0 = b.vertex(n0.times(ro).plus(new Vec3d(0, 0.5, 0)), n0);
            int b1 = b.vertex(n1.times(ro).plus(new Vec3d(0, -0.5, 0)), n1);
            int t1 = b.vertex(n1.times(ro).plus(new Vec3d(0, 0.5, 0)), n1);
            b.triangle(b0, t0, t1);
            b.triangle(b0, t1, b1);
            // inside, normals towards the axis
            Vec3d m0 = n0.times(-1);
            Vec3d m1 = n1.times(-1);
            int ib0 = b.vertex(n0.times(ri).plus(new Vec3d(0, floor, 0)), m0);
            int it0 = b.vertex(n0.times(ri).plus(new Vec3d(0, 0.5, 0)), m0);
            int ib1 = b.vertex(n1.times(ri).plus(new Vec3d(0, floor, 0)), m1);
            int it1 = b.vertex(n1.times(ri).plus(new Vec3d(0, 0.5, 0)), m1);
            b.triangle(ib0, it0, it1);
            b.triangle(ib0, it1, ib1);
            // rim: flat ring at the top between the two walls
            Vec3d up = Vec3d.UP;
            int r0 = b.vertex(n0.times(ro).plus(new Vec3d(0, 0.5, 0)), up);
            int r1 = b.vertex(n1.times(ro).plus(new Vec3d(0, 0.5, 0)), up);
            int q0 = b.vertex(n0.times(ri).plus(new Vec3d(0, 0.5, 0)), up);
            int q1 = b.vertex(n1.times(ri).plus(new Vec3d(0, 0.5, 0)), up);
            b.triangle(r0, r1, q1, up);
            b.triangle(r0, q1, q0, up);
        }
        cap(b, segments, -0.5, new Vec3d(0, -1, 0));
        discCap(b, segments, ri, floor, Vec3d.UP);
        return b.build();
    }

    /** A cylinder whose axis is z: the unit cylinder with (x, y, z) mapped to (x, -z, y). */
    static MeshData cylinderAlongZ(int segments) {
        MeshData y = cylinder(segments);
        float[] v = y.vertices().clone();
        for (int i = 0; i < v.length; i += MeshData.FLOATS_PER_VERTEX) {
            for (int k = 0; k < 6; k += 3) { // position, then normal
                float py = v[i + k + 1];
                float pz = v[i + k + 2];
                v[i + k + 1] = -pz;
                v[i + k + 2] = py;
            }
        }
        // a rotation keeps triangle winding, so the outward faces stay counter-clockwise
        return new MeshData(v, y.indices().clone());
    }

    static MeshData cone(int segments) {
        MeshBuilder b = new MeshBuilder();
        // slant normal of a cone with radius 0.5 over height 1: (cos a, 0.5, sin a), normalised
        for (int i = 0; i < segments; i++) {
            double a0 = angle(i, segments);
            double a1 = angle(i + 1, segments);
            double am = (a0 + a1) / 2;
            int r0 = b.vertex(new Vec3d(0.5 * Math.cos(a0), -0.5, 0.5 * Math.sin(a0)), slant(a0));
            int r1 = b.vertex(new Vec3d(0.5 * Math.cos(a1), -0.5, 0.5 * Math.sin(a1)), slant(a1));
            int apex = b.vertex(new Vec3d(0, 0.5, 0), slant(am));
            b.triangle(r0, r1, apex);
        }
        cap(b, segments, -0.5, new Vec3d(0, -1, 0));
        return b.build();
    }

    static MeshData sphere(int segments, int rings) {
        MeshBuilder b = new MeshBuilder();
        int[][] idx = new int[rings + 1][segments + 1];
        for (int r = 0; r <= rings; r++) {
            double phi = Math.PI * r / rings; // 0 at the top
            for (int s = 0; s <= segments; s++) {
                double a = angle(s, segments);
                Vec3d n = new Vec3d(Math.sin(phi) * Math.cos(a), Math.cos(phi), Math.sin(phi) * Math.sin(a));
                idx[r][s] = b.vertex(n.times(0.5), n);
            }
        }
        for (int r = 0; r < rings; r++) {
            for (int s = 0; s < segments; s++) {
                if (r > 0) {
                    b.triangle(idx[r][s], idx[r][s + 1], idx[r + 1][s + 1]);
                }
                if (r < rings - 1) {
                    b.triangle(idx[r][s], idx[r + 1][s + 1], idx[r + 1][s]);
                }
            }
        }
        return b.build();
    }

    private static void cap(MeshBuilder b, int segments, double y, Vec3d normal) {
        int centre = b.vertex(new Vec3d(0, y, 0), normal);
        for (int i = 0; i < segments; i++) {
            double a0 = angle(i, segments);
            double a1 = angle(i + 1, segments);
            int p0 = b.vertex(new Vec3d(0.5 * Math.cos(a0), y, 0.5 * Math.sin(a0)), normal);
            int p1 = b.vertex(new Vec3d(0.5 * Math.cos(a1), y, 0.5 * Math.sin(a1)), normal);
            b.triangle(centre, p0, p1, normal);
        }
    }

    private static void discCap(MeshBuilder b, int segments, double radius, double y, Vec3d normal) {
        int centre = b.vertex(new Vec3d(0, y, 0), normal);
        for (int i = 0; i < segments; i++) {
            double a0 = angle(i, segments);
            double a1 = angle(i + 1, segments);
            int p0 = b.vertex(new Vec3d(radius * Math.cos(a0), y, radius * Math.sin(a0)), normal);
            int p1 = b.vertex(new Vec3d(radius * Math.cos(a1), y, radius * Math.sin(a1)), normal);
            b.triangle(centre, p0, p1, normal);
        }
    }

    private static Vec3d slant(double a) {
        return new Vec3d(Math.cos(a), 0.5, Math.sin(a)).normalized();
    }

    private static double angle(int i, int segments) {
        // i == segments maps to exactly 0 so the seam closes without a crack
        return i % segments == 0 ? 0 : 2 * Math.PI * i / segments;
    }
}
