package dev.satflow.producers.render;

import static dev.satflow.producers.render.TestScenes.camera;
import static dev.satflow.producers.render.TestScenes.floorBox;
import static dev.satflow.producers.render.TestScenes.material;
import static dev.satflow.producers.render.TestScenes.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.geom.Camera;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.core.geom.Yaw;
import dev.satflow.schema.Light;
import dev.satflow.schema.Room;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Shadows land where geometry says they must: a floor point on the far side of a box from the
 * light darkens when shadows are on, a point beside it does not. The point-light case puts boxes
 * in the four horizontal directions and one under the light, covering five faces of the cube map;
 * each is seen by a camera standing beyond the shadow, looking back at it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShadowTest {
    private static final int SIZE = 192;
    private RenderWorker worker;

    @BeforeAll
    void open() {
        worker = new RenderWorker(RenderOptions.defaults().withCatalog(TestScenes.CATALOG));
    }

    @AfterAll
    void close() {
        worker.close();
    }

    /** A camera at {@code eye} facing back towards the room's centre line along {@code -dir}. */
    private static View lookingBack(String id, Vec3d dir, double distance, double height, double pitch) {
        Vec3d eye = dir.times(distance).plus(new Vec3d(0, height, 0));
        return view(id, camera(eye.x(), eye.y(), eye.z(), Yaw.towards(eye, Vec3d.ZERO), pitch, 70), List.of());
    }

    private List<RawFrame> render(Light light, List<SceneObject> objects, List<View> views, boolean shadows) {
        Room room = TestScenes.rectRoom(12, 12).setLights(new ArrayList<>(List.of(light))).build();
        SceneSpec s = TestScenes.spec("shadow", room, objects, views, SIZE, SIZE, "png", shadows);
        return worker.renderSceneUnencoded(s);
    }

    private static double luminance(RawFrame f, Vec3d world) {
        Camera.Pixel p = f.camera().project(world);
        assertNotNull(p);
        assertTrue(p.u() > 2 && p.u() < SIZE - 2 && p.v() > 2 && p.v() < SIZE - 2, "test point off screen: " + world);
        int x = (int) p.u();
        int y = (int) p.v();
        double sum = 0;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int i = ((y + dy) * SIZE + x + dx) * 3;
                sum += (f.rgb()[i] & 0xff) + (f.rgb()[i + 1] & 0xff) + (f.rgb()[i + 2] & 0xff);
            }
        }
        return sum / 27;
    }

    private static void assertShadowed(RawFrame on, RawFrame off, Vec3d p) {
        double lit = luminance(off, p);
        double dark = luminance(on, p);
        assertTrue(dark < 0.8 * lit, on.viewId() + ": expected shadow at " + p + ": " + dark + " vs " + lit);
    }

    private static void assertLit(RawFrame on, RawFrame off, Vec3d p) {
        assertEquals(luminance(off, p), luminance(on, p), 2, on.viewId() + ": expected light at " + p);
    }

    @Test
    void pointLightShadowsFallAwayFromTheLightOnEveryCubeFace() {
        Light lamp = TestScenes.pointLight(0, 2.0, 0, true);
        List<Vec3d> dirs = List.of(new Vec3d(1, 0, 0), new Vec3d(-1, 0, 0), new Vec3d(0, 0, 1), new Vec3d(0, 0, -1));
        List<SceneObject> boxes = new ArrayList<>();
        List<View> views = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            Vec3d d = dirs.get(i);
            boxes.add(floorBox(i + 1, 3 * d.x(), 3 * d.z(), 0.5, material(0.7, 0.7, 0.7)));
            views.add(lookingBack("side" + i, d, 5.2, 1.8, 35));
        }
        // under the light: seen through the cube's bottom face
        boxes.add(floorBox(9, 0.3, 0, 0.5, material(0.7, 0.7, 0.7)));
        views.add(lookingBack("below", new Vec3d(1, 0, 0), 1.9, 1.4, 50));

        List<RawFrame> on = render(lamp, boxes, views, true);
        List<RawFrame> off = render(lamp, boxes, views, false);
        for (int i = 0; i < dirs.size(); i++) {
            Vec3d d = dirs.get(i);
            Vec3d side = new Vec3d(-d.z(), 0, d.x());
            // the ray from (0, 2, 0) over the box's far top edge (3.25 m out, 0.5 m up) lands 4.33 m out
            assertShadowed(on.get(i), off.get(i), d.times(3.8));
            assertLit(on.get(i), off.get(i), d.times(3.8).plus(side.times(0.8)));
            assertLit(on.get(i), off.get(i), d.times(2.3));
        }
        // the box spans x 0.05..0.55 under the light; its shadow reaches x = 0.73
        assertShadowed(on.get(4), off.get(4), new Vec3d(0.65, 0, 0));
        assertLit(on.get(4), off.get(4), new Vec3d(0.65, 0, 0.7));
    }

    @Test
    void directionalShadowsFallAwayFromTheLight() {
        Light sun = TestScenes.directional(1, 1, 0, true); // towards the light: up and to +x
        List<SceneObject> box = List.of(floorBox(1, 0, 0, 0.6, material(0.7, 0.7, 0.7)));
        List<View> views = List.of(lookingBack("west", new Vec3d(-1, 0, 0), 2.5, 1.6, 35));
        RawFrame on = render(sun, box, views, true).get(0);
        RawFrame off = render(sun, box, views, false).get(0);
        // at 45 degrees the 0.6 m box shadows the floor from x = -0.3 to -0.9
        assertShadowed(on, off, new Vec3d(-0.6, 0, 0));
        assertLit(on, off, new Vec3d(-0.6, 0, 0.8));
        assertLit(on, off, new Vec3d(-1.3, 0, 0));
    }
}
