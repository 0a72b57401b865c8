package dev.satflow.producers.render;

import static dev.satflow.producers.render.TestScenes.camera;
import static dev.satflow.producers.render.TestScenes.floorBox;
import static dev.satflow.producers.render.TestScenes.material;
import static dev.satflow.producers.render.TestScenes.placement;
import static dev.satflow.producers.render.TestScenes.spec;
import static dev.satflow.producers.render.TestScenes.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.geom.Camera;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.schema.CameraPose;
import dev.satflow.schema.Frame;
import dev.satflow.schema.ObjectAnnotation;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A view's placements override object poses (object-displacement episodes). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlacementTest {
    private RenderWorker worker;

    @BeforeAll
    void open() {
        worker = new RenderWorker(RenderOptions.defaults().withCatalog(TestScenes.CATALOG));
    }

    @AfterAll
    void close() {
        worker.close();
    }

    @Test
    void movingAnObjectToTheCamerasRightMovesItsBoxRight() {
        // an oblique camera, so "right" is not simply +x
        CameraPose cam = camera(-1.0, 1.4, 1.5, 30, 20, 70);
        Camera c = Camera.of(cam, 256, 256);
        SceneObject moved = floorBox(1, -0.2, -0.6, 0.4, material(0.9, 0.3, 0.1));
        SceneObject still = floorBox(2, -0.6, -1.8, 0.4, material(0.1, 0.5, 0.9));
        Vec3d p = Vec3d.of(moved.getPosition()).plus(c.right().times(0.6));
        View before = view("before", cam, List.of());
        View after = view("after", cam, List.of(placement(1, p.x(), p.y(), p.z(), 0)));
        SceneSpec s = spec("moves", TestScenes.rectRoom(5, 5).build(), List.of(moved, still), List.of(before, after),
                256, 256, "png", true);

        List<Frame> frames = worker.renderScene(s);
        ObjectAnnotation b = frames.get(0).getObjects().get(0);
        ObjectAnnotation a = frames.get(1).getObjects().get(0);
        assertTrue(a.getBox().getXMin() > b.getBox().getXMin() + 10, "xMin moved right");
        assertTrue(a.getBox().getXMax() > b.getBox().getXMax() + 10, "xMax moved right");
        assertTrue(a.getCentroidX() > b.getCentroidX() + 10, "centroid moved right");
        assertEquals(b.getCentroidY(), a.getCentroidY(), 6, "same depth in the room: roughly the same row");
        // the other object did not move
        assertEquals(frames.get(0).getObjects().get(1).getBox(), frames.get(1).getObjects().get(1).getBox());
        // the spec's own pose is still used by the first view: its centroid is where the camera projects it
        Camera.Pixel expected = c.project(Vec3d.of(moved.getPosition()));
        assertEquals(expected.u(), b.getCentroidX(), 8);
    }

    @Test
    void placementOfAnUnknownObjectIsAContractViolation() {
        CameraPose cam = camera(0, 1.4, 1.5, 0, 20, 70);
        View v = view("v", cam, List.of(placement(99, 0, 0.2, 0, 0)));
        SceneSpec s = spec("bad-placement", TestScenes.rectRoom(5, 5).build(),
                List.of(floorBox(1, 0, -1, 0.4, material(1, 1, 1))), List.of(v), 64, 64, "png", true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> worker.renderScene(s));
        assertTrue(e.getMessage().contains("99"), e.getMessage());
    }
}
