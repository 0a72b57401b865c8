package dev.satflow.producers.render;

import static dev.satflow.producers.render.TestScenes.camera;
import static dev.satflow.producers.render.TestScenes.material;
import static dev.satflow.producers.render.TestScenes.object;
import static dev.satflow.producers.render.TestScenes.spec;
import static dev.satflow.producers.render.TestScenes.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.geom.Camera;
import dev.satflow.core.geom.OrientedBox;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.schema.Box2d;
import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Annotations against the analytic projection of the object's box (Camera.project). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnnotationOracleTest {
    private RenderWorker worker;

    @BeforeAll
    void open() {
        worker = new RenderWorker(RenderOptions.defaults().withCatalog(TestScenes.CATALOG));
    }

    @AfterAll
    void close() {
        worker.close();
    }

    private RawFrame renderOne(SceneObject box, View view, int w, int h) {
        SceneSpec s = spec("oracle", TestScenes.rectRoom(8, 8).build(), List.of(box), List.of(view), w, h, "png", true);
        return worker.renderUnencoded(s, view);
    }

    /** The tight pixel box of the projected corners: pixel i covers [i, i+1). */
    private static int[] analyticBox(Camera cam, SceneObject o) {
        double minU = Double.MAX_VALUE;
        double maxU = -Double.MAX_VALUE;
        double minV = Double.MAX_VALUE;
        double maxV = -Double.MAX_VALUE;
        for (Vec3d corner : OrientedBox.of(o).corners()) {
            Camera.Pixel p = cam.project(corner);
            assertNotNull(p, "corner behind the camera");
            minU = Math.min(minU, p.u());
            maxU = Math.max(maxU, p.u());
            minV = Math.min(minV, p.v());
            maxV = Math.max(maxV, p.v());
        }
        return new int[] {(int) Math.floor(minU), (int) Math.floor(minV), (int) Math.ceil(maxU) - 1,
            (int) Math.ceil(maxV) - 1};
    }

    private static void assertBoxWithinOnePixel(int[] expected, Box2d actual) {
        assertNotNull(actual, "object should be visible");
        assertEquals(expected[0], actual.getXMin(), 1, "xMin");
        assertEquals(expected[1], actual.getYMin(), 1, "yMin");
        assertEquals(expected[2], actual.getXMax(), 1, "xMax");
        assertEquals(expected[3], actual.getYMax(), 1, "yMax");
    }

    @Test
    void boxStraightAheadIsCentredAndMatchesItsProjection() {
        // camera level at 1.2 m looking along -z; a 0.6 m cube centred on the optical axis 2.5 m away
        SceneObject box = object(1, "box", 0, 1.2, -0.5, 0.6, 0.6, 0.6, 0, material(0.8, 0.2, 0.2));
        View v = view("v", camera(0, 1.2, 2.0, 0, 0, 60), List.of());
        RawFrame f = renderOne(box, v, 256, 192);
        ObjectAnnotation a = f.objects().get(0);

        Camera cam = Camera.of(v.getCamera(), 256, 192);
        assertBoxWithinOnePixel(analyticBox(cam, box), a.getBox());
        assertEquals(128.0, a.getCentroidX(), 0.5, "centred horizontally");
        assertEquals(96.0, a.getCentroidY(), 0.5, "centred vertically");
        assertEquals(1.0f, a.getVisibleFraction(), "nothing in front of it");
        assertEquals(a.getUnoccludedPixels(), a.getVisiblePixels());
        // face-on: every visible pixel is on the front face, 2.5 - 0.3 m from the camera
        assertEquals(2.2, a.getMeanDepth(), 0.01, "mean depth of the front face");
        // the front face's projected area, in pixels
        double side = cam.focal() * 0.6 / 2.2;
        assertEquals(side * side, a.getVisiblePixels(), side * 4, "pixel count ~ projected area");
        // a square face: labelled at its centre, half its side from the room around it
        assertEquals(128.0, a.getLabelX(), 1.0, "label centred horizontally");
        assertEquals(96.0, a.getLabelY(), 1.0, "label centred vertically");
        assertEquals(side / 2, a.getLabelRadius(), 1.0, "label radius ~ half the side");
    }

    @Test
    void rotatedOffAxisBoxUnderPitchedCameraMatchesItsProjection() {
        SceneObject box = object(7, "box", 0.9, 0.35, -1.0, 0.5, 0.7, 0.9, 35, material(0.2, 0.6, 0.9));
        View v = view("v", camera(-0.6, 1.6, 2.2, 12, 25, 75), List.of());
        RawFrame f = renderOne(box, v, 320, 240);
        ObjectAnnotation a = f.objects().get(0);
        assertEquals(7, a.getObjectId());
        assertBoxWithinOnePixel(analyticBox(Camera.of(v.getCamera(), 320, 240), box), a.getBox());
        assertEquals(1.0f, a.getVisibleFraction());
        Vec3d centre = new Vec3d(0.9, 0.35, -1.0);
        double centreDepth = Camera.of(v.getCamera(), 320, 240).toCamera(centre).z();
        assertTrue(Math.abs(a.getMeanDepth() - centreDepth) < 0.5, "mean depth near the box: " + a.getMeanDepth());
    }

    @Test
    void boxesAreInclusiveAndCentroidsLieInside() {
        SceneObject box = object(3, "table", 0.2, 0.4, -0.6, 1.2, 0.8, 0.8, -20, material(0.9, 0.9, 0.9));
        View v = view("v", camera(0, 1.5, 1.8, 0, 30, 75), List.of());
        RawFrame f = renderOne(box, v, 200, 150);
        ObjectAnnotation a = f.objects().get(0);
        Box2d b = a.getBox();
        assertNotNull(b);
        assertTrue(b.getXMin() >= 0 && b.getXMax() < 200 && b.getYMin() >= 0 && b.getYMax() < 150);
        assertTrue(a.getCentroidX() > b.getXMin() && a.getCentroidX() < b.getXMax() + 1);
        assertTrue(a.getCentroidY() > b.getYMin() && a.getCentroidY() < b.getYMax() + 1);
        // a table's legs leave gaps: fewer pixels than its box area, but drawn alone it is all visible
        assertTrue(a.getVisiblePixels() < (b.getXMax() - b.getXMin() + 1) * (b.getYMax() - b.getYMin() + 1));
        assertEquals(1.0f, a.getVisibleFraction());
    }
}
