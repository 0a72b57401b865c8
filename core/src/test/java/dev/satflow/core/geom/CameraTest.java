package dev.satflow.core.geom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CameraTest {
    private static final double EPS = 1e-9;

    @Test
    void yawZeroLooksAlongMinusZAndYaw90AlongPlusX() {
        assertVec(new Vec3d(0, 0, -1), Yaw.forward(0));
        assertVec(new Vec3d(1, 0, 0), Yaw.right(0));
        assertVec(new Vec3d(1, 0, 0), Yaw.forward(90));
        // turning right by 90 makes the old right the new forward
        assertVec(Yaw.right(37), Yaw.forward(127));
        assertEquals(90, Yaw.towards(Vec3d.ZERO, new Vec3d(3, 0, 0)), EPS);
        assertEquals(0, Yaw.towards(Vec3d.ZERO, new Vec3d(0, 0, -2)), EPS);
    }

    @Test
    void toWorldAndToLocalAreInverse() {
        Vec3d v = new Vec3d(0.3, -1.2, 2.5);
        for (double yaw : new double[] {0, 17, 90, -135, 270}) {
            assertVec(v, Yaw.toLocal(yaw, Yaw.toWorld(yaw, v)));
        }
        // local +x is the right vector, local -z is forward
        assertVec(Yaw.right(33), Yaw.toWorld(33, new Vec3d(1, 0, 0)));
        assertVec(Yaw.forward(33), Yaw.toWorld(33, new Vec3d(0, 0, -1)));
    }

    @Test
    void pointStraightAheadProjectsToTheCentre() {
        Camera cam = new Camera(new Vec3d(1, 1.5, 2), 40, 30, 90, 256, 256);
        Vec3d ahead = cam.position().plus(cam.forward().times(3));
        Camera.Pixel p = cam.project(ahead);
        assertEquals(128, p.u(), 1e-6);
        assertEquals(128, p.v(), 1e-6);
        assertEquals(3, p.depth(), 1e-9);
    }

    @Test
    void rightIsRightAndUpIsUpInTheImage() {
        Camera cam = new Camera(new Vec3d(0, 1.5, 0), 0, 0, 90, 200, 100);
        Camera.Pixel right = cam.project(new Vec3d(1, 1.5, -2));
        Camera.Pixel up = cam.project(new Vec3d(0, 2.5, -2));
        assertTrue(right.u() > 100, "right of the axis has u > cx");
        assertEquals(50, right.v(), 1e-9);
        assertTrue(up.v() < 50, "above the axis has v < cy");
        // 90 deg vertical fov: a point at height = depth sits on the top edge
        assertEquals(0, cam.project(new Vec3d(0, 1.5 + 2, -2)).v(), 1e-9);
        assertNull(cam.project(new Vec3d(0, 1.5, 1)), "behind the camera");
    }

    @Test
    void glMatricesAgreeWithProject() {
        Camera cam = new Camera(new Vec3d(-0.7, 1.3, 2.2), -63, 27, 75, 320, 240);
        Vec3d p = new Vec3d(0.4, 0.6, -1.1);
        double[] clip = Mat4.transform(cam.viewProjection(), p);
        double u = (clip[0] / clip[3] + 1) / 2 * 320;
        double v = (1 - clip[1] / clip[3]) / 2 * 240;
        Camera.Pixel px = cam.project(p);
        assertEquals(px.u(), u, 1e-3);
        assertEquals(px.v(), v, 1e-3);
        double windowDepth = (clip[2] / clip[3] + 1) / 2;
        assertEquals(px.depth(), Camera.linearDepth(windowDepth), 1e-3);
    }

    @Test
    void egoFrameIgnoresPitch() {
        Camera level = new Camera(new Vec3d(0, 1.5, 0), 30, 0, 90, 64, 64);
        Camera pitched = new Camera(new Vec3d(0, 1.5, 0), 30, 45, 90, 64, 64);
        Vec3d p = new Vec3d(2, 0.2, -3);
        assertVec(level.toEgo(p), pitched.toEgo(p));
        assertEquals(level.toCamera(p).x(), level.toEgo(p).x(), EPS);
    }

    @Test
    void footprintOverlapRespectsYawAndMargin() {
        OrientedBox a = new OrientedBox(new Vec3d(0, 0.5, 0), new Vec3d(1, 1, 1), 0);
        OrientedBox b = new OrientedBox(new Vec3d(1.05, 0.5, 0), new Vec3d(1, 1, 1), 0);
        assertFalse(a.footprintOverlaps(b, 0));
        assertTrue(a.footprintOverlaps(b, 0.1));
        // rotating b by 45 deg pushes its corner into a
        assertTrue(a.footprintOverlaps(new OrientedBox(b.center(), b.size(), 45), 0));
        OrientedBox high = new OrientedBox(new Vec3d(0, 2, 0), new Vec3d(1, 1, 1), 0);
        assertFalse(a.intersects(high, 0), "stacked boxes do not intersect");
        assertTrue(a.footprintContains(0.49, 0.49));
        assertFalse(new OrientedBox(Vec3d.ZERO, new Vec3d(1, 1, 1), 45).footprintContains(0.49, 0.49));
    }

    static void assertVec(Vec3d expected, Vec3d actual) {
        assertEquals(expected.x(), actual.x(), 1e-9, "x");
        assertEquals(expected.y(), actual.y(), 1e-9, "y");
        assertEquals(expected.z(), actual.z(), 1e-9, "z");
    }
}
