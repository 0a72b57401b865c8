package dev.satflow.core.geom;

/** Column-major 4x4 float matrices, laid out as OpenGL's glUniformMatrix4fv(transpose=false) expects. */
public final class Mat4 {
    private Mat4() {}

    public static float[] identity() {
        float[] m = new float[16];
        m[0] = m[5] = m[10] = m[15] = 1;
        return m;
    }

    public static float[] mul(float[] a, float[] b) {
        float[] r = new float[16];
        for (int col = 0; col < 4; col++) {
            for (int row = 0; row < 4; row++) {
                float s = 0;
                for (int k = 0; k < 4; k++) {
                    s += a[k * 4 + row] * b[col * 4 + k];
                }
                r[col * 4 + row] = s;
            }
        }
        return r;
    }

    /** OpenGL perspective projection; fovY in degrees. */
    public static float[] perspective(double fovYDeg, double aspect, double near, double far) {
        double f = 1.0 / Math.tan(Math.toRadians(fovYDeg) / 2);
        float[] m = new float[16];
        m[0] = (float) (f / aspect);
        m[5] = (float) f;
        m[10] = (float) ((far + near) / (near - far));
        m[11] = -1;
        m[14] = (float) (2 * far * near / (near - far));
        return m;
    }

    /** Model matrix: translate(position) * rotateYaw(yaw) * scale(size). */
    public static float[] trs(Vec3d position, double yawDeg, Vec3d scale) {
        double t = Math.toRadians(yawDeg);
        float c = (float) Math.cos(t);
        float s = (float) Math.sin(t);
        float[] m = new float[16];
        // columns are the images of the local axes (see Yaw): x -> (c,0,s), y -> (0,1,0), z -> (-s,0,c)
        m[0] = c * (float) scale.x();
        m[2] = s * (float) scale.x();
        m[5] = (float) scale.y();
        m[8] = -s * (float) scale.z();
        m[10] = c * (float) scale.z();
        m[12] = (float) position.x();
        m[13] = (float) position.y();
        m[14] = (float) position.z();
        m[15] = 1;
        return m;
    }

    /** Applies m to the point (x,y,z,1); returns {x,y,z,w}. */
    public static double[] transform(float[] m, Vec3d p) {
        double[] r = new double[4];
        for (int row = 0; row < 4; row++) {
            r[row] = m[row] * p.x() + m[4 + row] * p.y() + m[8 + row] * p.z() + m[12 + row];
        }
        return r;
    }
}
