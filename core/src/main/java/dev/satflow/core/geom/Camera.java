package dev.satflow.core.geom;

import dev.satflow.schema.CameraPose;
import dev.satflow.schema.Intrinsics;

/**
 * A pinhole camera: pose (position, yaw, pitch, vertical fov) plus image size.
 *
 * <p>Camera space: x right, y up, depth positive in front. Pixels: origin at the image's top-left
 * corner, x to the right, y down, pixel (i,j) covers [i,i+1)x[j,j+1). Pitch is positive downwards
 * (AI2-THOR's "horizon"). Square pixels: fx = fy.
 */
public final class Camera {
    public static final double NEAR = 0.05;
    public static final double FAR = 50;

    private final Vec3d position;
    private final double yawDeg;
    private final double pitchDeg;
    private final double fovDeg;
    private final int width;
    private final int height;
    private final Vec3d right;
    private final Vec3d up;
    private final Vec3d forward;
    private final double focal;

    public Camera(Vec3d position, double yawDeg, double pitchDeg, double fovDeg, int width, int height) {
        this.position = position;
        this.yawDeg = yawDeg;
        this.pitchDeg = pitchDeg;
        this.fovDeg = fovDeg;
        this.width = width;
        this.height = height;
        double p = Math.toRadians(pitchDeg);
        Vec3d fh = Yaw.forward(yawDeg);
        this.right = Yaw.right(yawDeg);
        this.forward = new Vec3d(fh.x() * Math.cos(p), -Math.sin(p), fh.z() * Math.cos(p));
        this.up = right.cross(forward);
        this.focal = (height / 2.0) / Math.tan(Math.toRadians(fovDeg) / 2);
    }

    public static Camera of(CameraPose pose, int width, int height) {
        return new Camera(Vec3d.of(pose.getPosition()), pose.getYawDeg(), pose.getPitchDeg(), pose.getFovDeg(),
                width, height);
    }

    public Vec3d position() {
        return position;
    }

    public double yawDeg() {
        return yawDeg;
    }

    public double pitchDeg() {
        return pitchDeg;
    }

    public double fovDeg() {
        return fovDeg;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public Vec3d forward() {
        return forward;
    }

    public Vec3d right() {
        return right;
    }

    public Vec3d up() {
        return up;
    }

    public double focal() {
        return focal;
    }

    /** World point to camera space: x right, y up, z = depth (positive in front). */
    public Vec3d toCamera(Vec3d world) {
        Vec3d d = world.minus(position);
        return new Vec3d(d.dot(right), d.dot(up), d.dot(forward));
    }

    /**
     * SAT's egocentric frame, which ignores pitch: x' to the right, y' up (height above the camera),
     * z' forward along the horizontal heading.
     */
    public Vec3d toEgo(Vec3d world) {
        Vec3d d = world.minus(position);
        return new Vec3d(d.dot(right), d.y(), d.dot(Yaw.forward(yawDeg)));
    }

    /** Pixel position and depth of a world point, or null when it is not in front of the near plane. */
    public Pixel project(Vec3d world) {
        Vec3d c = toCamera(world);
        if (c.z() <= NEAR) {
            return null;
        }
        return new Pixel(width / 2.0 + focal * c.x() / c.z(), height / 2.0 - focal * c.y() / c.z(), c.z());
    }

    /** A projected point: u to the right, v down, in pixels; depth in metres. */
    public record Pixel(double u, double v, double depth) {
        public boolean insideImage(int width, int height) {
            return u >= 0 && u < width && v >= 0 && v < height;
        }
    }

    /** OpenGL view matrix (world to eye, eye looks down -z). */
    public float[] viewMatrix() {
        Vec3d back = forward.times(-1);
        float[] m = new float[16];
        m[0] = (float) right.x();
        m[4] = (float) right.y();
        m[8] = (float) right.z();
        m[1] = (float) up.x();
        m[5] = (float) up.y();
        m[9] = (float) up.z();
        m[2] = (float) back.x();
        m[6] = (float) back.y();
        m[10] = (float) back.z();
        m[12] = (float) -right.dot(position);
        m[13] = (float) -up.dot(position);
        m[14] = (float) -back.dot(position);
        m[15] = 1;
        return m;
    }

    public float[] projectionMatrix() {
        return Mat4.perspective(fovDeg, (double) width / height, NEAR, FAR);
    }

    public float[] viewProjection() {
        return Mat4.mul(projectionMatrix(), viewMatrix());
    }

    public Intrinsics intrinsics() {
        return Intrinsics.newBuilder()
                .setWidth(width).setHeight(height)
                .setFx((float) focal).setFy((float) focal)
                .setCx(width / 2f).setCy(height / 2f)
                .setNear((float) NEAR).setFar((float) FAR)
                .build();
    }

    /** Converts a window depth value in [0,1] (as read back from a GL depth buffer) to metres. */
    public static double linearDepth(double windowDepth) {
        double ndc = windowDepth * 2 - 1;
        return 2 * NEAR * FAR / (FAR + NEAR - ndc * (FAR - NEAR));
    }
}
