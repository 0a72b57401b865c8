package dev.satflow.producers.render;

import dev.satflow.core.geom.Vec3d;
import java.util.Arrays;

/**
 * Grows a {@link MeshData}. Triangles are wound counter-clockwise around the normal they are given,
 * whatever order the caller lists the corners in, so back-face culling and two-sided lighting agree.
 */
final class MeshBuilder {
    private float[] vertices = new float[256];
    private int[] indices = new int[256];
    private int floatCount;
    private int indexCount;

    int vertex(double x, double y, double z, double nx, double ny, double nz) {
        if (floatCount + MeshData.FLOATS_PER_VERTEX > vertices.length) {
            vertices = Arrays.copyOf(vertices, vertices.length * 2);
        }
        vertices[floatCount++] = (float) x;
        vertices[floatCount++] = (float) y;
        vertices[floatCount++] = (float) z;
        vertices[floatCount++] = (float) nx;
        vertices[floatCount++] = (float) ny;
        vertices[floatCount++] = (float) nz;
        return floatCount / MeshData.FLOATS_PER_VERTEX - 1;
    }

    int vertex(Vec3d p, Vec3d n) {
        return vertex(p.x(), p.y(), p.z(), n.x(), n.y(), n.z());
    }

    /** Adds triangle (a,b,c), flipped if needed so it is counter-clockwise around {@code facing}. */
    void triangle(int a, int b, int c, Vec3d facing) {
        Vec3d pa = position(a);
        Vec3d geometric = position(b).minus(pa).cross(position(c).minus(pa));
        if (geometric.dot(facing) < 0) {
            int t = b;
            b = c;
            c = t;
        }
        if (indexCount + 3 > indices.length) {
            indices = Arrays.copyOf(indices, indices.length * 2);
        }
        indices[indexCount++] = a;
        indices[indexCount++] = b;
        indices[indexCount++] = c;
    }

    /** Adds triangle (a,b,c) facing the average of its vertex normals (smooth surfaces). */
    void triangle(int a, int b, int c) {
        triangle(a, b, c, normal(a).plus(normal(b)).plus(normal(c)));
    }

    /** A flat quad with corners in order around its edge. */
    void quad(Vec3d p0, Vec3d p1, Vec3d p2, Vec3d p3, Vec3d normal) {
        int a = vertex(p0, normal);
        int b = vertex(p1, normal);
        int c = vertex(p2, normal);
        int d = vertex(p3, normal);
        triangle(a, b, c, normal);
        triangle(a, c, d, normal);
    }

    /**
     * A box with centre {@code c}, orthonormal axes {@code u, v, w} and half extents along them;
     * every face's normal points outwards.
     */
    void box(Vec3d c, Vec3d u, Vec3d v, Vec3d w, double hu, double hv, double hw) {
        Vec3d[] axes = {u, v, w};
        double[] half = {hu, hv, hw};
        for (int axis = 0; axis < 3; axis++) {
            Vec3d n = axes[axis];
            Vec3d a = axes[(axis + 1) % 3].times(half[(axis + 1) % 3]);
            Vec3d b = axes[(axis + 2) % 3].times(half[(axis + 2) % 3]);
            for (int sign = -1; sign <= 1; sign += 2) {
                Vec3d normal = n.times(sign);
                Vec3d fc = c.plus(n.times(sign * half[axis]));
                quad(fc.minus(a).minus(b), fc.plus(a).minus(b), fc.plus(a).plus(b), fc.minus(a).plus(b), normal);
            }
        }
    }

    int indexCount() {
        return indexCount;
    }

    MeshData build() {
        return new MeshData(Arrays.copyOf(vertices, floatCount), Arrays.copyOf(indices, indexCount));
    }

    private Vec3d position(int i) {
        int o = i * MeshData.FLOATS_PER_VERTEX;
        return new Vec3d(vertices[o], vertices[o + 1], vertices[o + 2]);
    }

    private Vec3d normal(int i) {
        int o = i * MeshData.FLOATS_PER_VERTEX + 3;
        return new Vec3d(vertices[o], vertices[o + 1], vertices[o + 2]);
    }
}
