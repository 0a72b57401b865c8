package dev.satflow.producers.render;

/**
 * Indexed triangles ready for upload.
 *
 * @param vertices interleaved x, y, z, nx, ny, nz
 * @param indices  counter-clockwise triangles seen from the side the normals point to
 */
record MeshData(float[] vertices, int[] indices) {
    static final int FLOATS_PER_VERTEX = 6;

    int vertexCount() {
        return vertices.length / FLOATS_PER_VERTEX;
    }
}
