package dev.satflow.producers.render;

import dev.satflow.producers.catalog.Primitive;
import java.util.EnumMap;
import java.util.Map;

/** All catalog primitives in one GL buffer, each drawn as an index range. */
final class PrimitiveMeshes implements AutoCloseable {
    private record Range(int first, int count) {}

    private final GlMesh mesh = new GlMesh(false);
    private final Map<Primitive, Range> ranges = new EnumMap<>(Primitive.class);

    PrimitiveMeshes() {
        Map<Primitive, MeshData> all = UnitMeshes.all();
        int floats = 0;
        int indices = 0;
        for (MeshData d : all.values()) {
            floats += d.vertices().length;
            indices += d.indices().length;
        }
        float[] v = new float[floats];
        int[] idx = new int[indices];
        int vo = 0;
        int io = 0;
        for (Map.Entry<Primitive, MeshData> e : all.entrySet()) {
            MeshData d = e.getValue();
            System.arraycopy(d.vertices(), 0, v, vo, d.vertices().length);
            int base = vo / MeshData.FLOATS_PER_VERTEX;
            for (int k = 0; k < d.indices().length; k++) {
                idx[io + k] = d.indices()[k] + base;
            }
            ranges.put(e.getKey(), new Range(io, d.indices().length));
            vo += d.vertices().length;
            io += d.indices().length;
        }
        mesh.upload(new MeshData(v, idx));
    }

    void bind() {
        mesh.bind();
    }

    /** Draws one primitive; {@link #bind()} first. */
    void draw(Primitive p) {
        Range r = ranges.get(p);
        mesh.draw(r.first(), r.count());
    }

    @Override
    public void close() {
        mesh.close();
    }
}
