package dev.satflow.producers.generate;

import dev.satflow.core.geom.Camera;
import dev.satflow.core.geom.OrientedBox;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.core.geom.Yaw;
import java.util.List;

/**
 * The generator's CPU estimate of what a camera sees, used to choose poses and episodes before
 * anything is rendered: a point is seen when it projects inside the image (with a margin), lies
 * in a sensible depth range, and the straight line from the eye reaches it without crossing a
 * wall or another object's box. The renderer's annotations remain the truth questions use; this
 * only steers sampling towards views that will have something to ask about.
 */
final class SightLines {
    static final double MIN_DEPTH = 0.3;
    static final double MAX_DEPTH = 9;

    private final FloorPlan plan;
    private final List<OrientedBox> occluders;

    /** {@code occluders}: boxes that block sight (floor coverings excluded by the caller). */
    SightLines(FloorPlan plan, List<OrientedBox> occluders) {
        this.plan = plan;
        this.occluders = occluders;
    }

    /** Whether {@code p} is in the image (at least {@code margin} of its side from the border) and unobstructed. */
    boolean sees(Camera cam, Vec3d p, double margin, OrientedBox ignore) {
        Camera.Pixel px = cam.project(p);
        if (px == null || px.depth() < MIN_DEPTH || px.depth() > MAX_DEPTH) {
            return false;
        }
        double mu = margin * cam.width();
        double mv = margin * cam.height();
        if (px.u() < mu || px.u() > cam.width() - mu || px.v() < mv || px.v() > cam.height() - mv) {
            return false;
        }
        return clear(cam.position(), p, ignore);
    }

    /** Whether an object's box is seen: its centre or the centre of its top face. */
    boolean sees(Camera cam, OrientedBox box, double margin) {
        Vec3d top = new Vec3d(box.center().x(), box.top() - 0.01, box.center().z());
        return sees(cam, box.center(), margin, box) || sees(cam, top, margin, box);
    }

    /** Number of the boxes that {@link #sees(Camera, OrientedBox, double)}. */
    int count(Camera cam, List<OrientedBox> boxes, double margin) {
        int n = 0;
        for (OrientedBox b : boxes) {
            if (sees(cam, b, margin)) {
                n++;
            }
        }
        return n;
    }

    /** Whether the segment a-b crosses no wall and no occluder other than {@code ignore}. */
    boolean clear(Vec3d a, Vec3d b, OrientedBox ignore) {
        for (int i = 0; i < plan.vertexCount(); i++) {
            int j = (i + 1) % plan.vertexCount();
            if (FloorPlan.segmentsCross(a.x(), a.z(), b.x(), b.z(), plan.x(i), plan.z(i), plan.x(j), plan.z(j))) {
                return false;
            }
        }
        for (OrientedBox o : occluders) {
            if (o != ignore && hits(o, a, b)) {
                return false;
            }
        }
        return true;
    }

    /** Slab test in the box's own frame: does the segment a-b pass through the box (end points excluded)? */
    static boolean hits(OrientedBox box, Vec3d a, Vec3d b) {
        Vec3d la = Yaw.toLocal(box.yawDeg(), a.minus(box.center()));
        Vec3d lb = Yaw.toLocal(box.yawDeg(), b.minus(box.center()));
        double[] p = {la.x(), la.y(), la.z()};
        double[] d = {lb.x() - la.x(), lb.y() - la.y(), lb.z() - la.z()};
        double[] h = {box.size().x() / 2, box.size().y() / 2, box.size().z() / 2};
        double t0 = 1e-3;
        double t1 = 1 - 1e-3;
        for (int k = 0; k < 3; k++) {
            if (Math.abs(d[k]) < 1e-12) {
                if (p[k] < -h[k] || p[k] > h[k]) {
                    return false;
                }
                continue;
            }
            double ta = (-h[k] - p[k]) / d[k];
            double tb = (h[k] - p[k]) / d[k];
            t0 = Math.max(t0, Math.min(ta, tb));
            t1 = Math.min(t1, Math.max(ta, tb));
            if (t0 > t1) {
                return false;
            }
        }
        return true;
    }
}
