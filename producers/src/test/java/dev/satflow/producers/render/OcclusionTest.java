package dev.satflow.producers.render;

import static dev.satflow.producers.render.TestScenes.camera;
import static dev.satflow.producers.render.TestScenes.floorBox;
import static dev.satflow.producers.render.TestScenes.material;
import static dev.satflow.producers.render.TestScenes.spec;
import static dev.satflow.producers.render.TestScenes.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OcclusionTest {
    private RenderWorker worker;

    @BeforeAll
    void open() {
        worker = new RenderWorker(RenderOptions.defaults().withCatalog(TestScenes.CATALOG));
    }

    @AfterAll
    void close() {
        worker.close();
    }

    private List<ObjectAnnotation> render(List<SceneObject> objects, View v) {
        SceneSpec s = spec("occ", TestScenes.rectRoom(4, 4).build(), objects, List.of(v), 192, 192, "png", true);
        return worker.renderUnencoded(s, v).objects();
    }

    @Test
    void boxBehindAWallIsInvisibleButInTheFrustum() {
        // the room's back wall is at z = -2; the box stands outside it, straight ahead of the camera
        SceneObject hidden = floorBox(5, 0, -3.0, 0.8, material(0.9, 0.1, 0.1));
        View v = view("v", camera(0, 1.2, 1.5, 0, 10, 70), List.of());
        ObjectAnnotation a = render(List.of(hidden), v).get(0);
        assertEquals(5, a.getObjectId());
        assertEquals(0, a.getVisiblePixels());
        assertTrue(a.getUnoccludedPixels() > 100, "drawn alone it covers pixels: " + a.getUnoccludedPixels());
        assertEquals(0f, a.getVisibleFraction());
        assertNull(a.getBox());
    }

    @Test
    void objectOutsideTheFrustumHasNothing() {
        SceneObject behindCamera = floorBox(2, 0, 1.9, 0.3, material(0.1, 0.9, 0.1));
        View v = view("v", camera(0, 1.2, 1.0, 0, 10, 70), List.of());
        ObjectAnnotation a = render(List.of(behindCamera), v).get(0);
        assertEquals(0, a.getUnoccludedPixels());
        assertEquals(0f, a.getVisibleFraction());
        assertNull(a.getBox());
    }

    @Test
    void partlyCoveredBoxHasASmallerFraction() {
        View v = view("v", camera(0, 1.0, 1.8, 0, 15, 70), List.of());
        SceneObject back = floorBox(1, 0.2, -1.0, 0.8, material(0.2, 0.3, 0.9));
        SceneObject front = floorBox(2, -0.2, 0.3, 0.5, material(0.9, 0.8, 0.1));

        ObjectAnnotation alone = render(List.of(back), v).get(0);
        List<ObjectAnnotation> both = render(List.of(back, front), v);
        ObjectAnnotation covered = both.get(0);
        ObjectAnnotation occluder = both.get(1);

        assertEquals(1.0f, alone.getVisibleFraction());
        assertEquals(alone.getUnoccludedPixels(), covered.getUnoccludedPixels(), "drawn-alone area does not change");
        assertTrue(covered.getVisibleFraction() < 0.9f && covered.getVisibleFraction() > 0.05f,
                "partly covered: " + covered.getVisibleFraction());
        assertEquals(1.0f, occluder.getVisibleFraction(), "the front box is not covered");
        assertNotNull(covered.getBox());
        // the occluder is closer
        assertTrue(occluder.getMeanDepth() < covered.getMeanDepth());
    }
}
