package dev.satflow.producers.render;

import static dev.satflow.producers.render.TestScenes.camera;
import static dev.satflow.producers.render.TestScenes.feature;
import static dev.satflow.producers.render.TestScenes.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.schema.Room;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.Vec2;
import dev.satflow.schema.View;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomGeometryTest {
    static final List<Vec2> L_SHAPE = List.of(new Vec2(-3f, 3f), new Vec2(3f, 3f), new Vec2(3f, 0f), new Vec2(0f, 0f),
            new Vec2(0f, -3f), new Vec2(-3f, -3f));

    private static double[][] coords(List<Vec2> poly) {
        double[] xs = poly.stream().mapToDouble(Vec2::getX).toArray();
        double[] zs = poly.stream().mapToDouble(Vec2::getZ).toArray();
        return new double[][] {xs, zs};
    }

    @Test
    void earClippingCoversTheLShapeInEitherWinding() {
        for (boolean reversed : new boolean[] {false, true}) {
            List<Vec2> poly = new ArrayList<>(L_SHAPE);
            if (reversed) {
                java.util.Collections.reverse(poly);
            }
            double[][] c = coords(poly);
            List<int[]> tris = RoomGeometry.triangulate(c[0], c[1]);
            assertEquals(poly.size() - 2, tris.size());
            double area = 0;
            for (int[] t : tris) {
                double a = ((c[0][t[1]] - c[0][t[0]]) * (c[1][t[2]] - c[1][t[0]])
                        - (c[1][t[1]] - c[1][t[0]]) * (c[0][t[2]] - c[0][t[0]])) / 2;
                area += Math.abs(a);
            }
            assertEquals(27.0, area, 1e-9, "6x6 minus a 3x3 corner");
        }
    }

    @Test
    void openingsCutTheWallAndAddDoorAndWindowParts() {
        Room plain = TestScenes.rectRoom(6, 5).build();
        Room withOpenings = TestScenes.rectRoom(6, 5)
                .setFeatures(new ArrayList<>(List.of(feature("door", 0, 2, 0.9, 0, 2.0), feature("window", 1, 2.5, 1.2, 0.9, 1.1))))
                .build();
        RoomGeometry.RoomMesh a = RoomGeometry.build(plain);
        RoomGeometry.RoomMesh b = RoomGeometry.build(withOpenings);
        List<RoomGeometry.Surface> plainSurfaces = a.groups().stream().map(RoomGeometry.Group::surface).toList();
        List<RoomGeometry.Surface> surfaces = b.groups().stream().map(RoomGeometry.Group::surface).toList();
        assertEquals(List.of(RoomGeometry.Surface.FLOOR, RoomGeometry.Surface.CEILING, RoomGeometry.Surface.WALL), plainSurfaces);
        assertTrue(surfaces.containsAll(List.of(RoomGeometry.Surface.DOOR, RoomGeometry.Surface.GLASS,
                RoomGeometry.Surface.TRIM, RoomGeometry.Surface.HANDLE)), surfaces.toString());
        assertEquals(-3, a.min().x(), 1e-9);
        assertEquals(2.7, a.max().y(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> RoomGeometry.build(TestScenes.rectRoom(6, 5)
                .setFeatures(new ArrayList<>(List.of(feature("door", 9, 1, 0.9, 0, 2)))).build()));
        assertThrows(IllegalArgumentException.class,
                () -> RoomGeometry.build(TestScenes.rectRoom(6, 5).setFloor(List.of(new Vec2(0f, 0f), new Vec2(1f, 0f))).build()));
    }

    /** Inside a closed room every pixel is drawn: a crack between wall pieces would leave the cleared depth 1. */
    @Test
    void roomsAreWatertightFromInside() {
        Room l = TestScenes.rectRoom(1, 1).setFloor(L_SHAPE)
                .setFeatures(new ArrayList<>(List.of(feature("window", 3, 1.5, 1.2, 0.9, 1.2), feature("door", 4, 1.5, 0.9, 0, 2.0),
                        feature("window", 0, 2.0, 1.0, 1.0, 1.0), feature("window", 0, 4.0, 1.0, 0.8, 1.4))))
                .build();
        Room rect = TestScenes.rectRoom(6, 5)
                .setFeatures(new ArrayList<>(List.of(feature("door", 2, 1.5, 0.9, 0, 2.05), feature("window", 3, 2.5, 1.4, 0.9, 1.2))))
                .build();
        List<View> lViews = List.of(view("a", camera(-2.5, 1.6, -2.5, 135, 20, 90), List.of()),
                view("b", camera(-1.5, 1.6, 2.0, 0, 15, 90), List.of()),
                view("c", camera(-2.0, 1.2, 2.0, 60, -20, 100), List.of()),
                view("d", camera(2.0, 2.0, 1.5, -100, 35, 100), List.of()));
        List<View> rectViews = List.of(view("a", camera(1.5, 1.5, 0.5, -90, 10, 75), List.of()),
                view("b", camera(0, 1.5, 2.3, 0, 20, 75), List.of()),
                view("c", camera(2.5, 0.3, -2.0, -135, -30, 110), List.of()));
        try (RenderWorker w = new RenderWorker(RenderOptions.defaults().withCatalog(TestScenes.CATALOG))) {
            checkCovered(w, TestScenes.spec("L", l, List.of(), lViews, 240, 180, "png", true));
            checkCovered(w, TestScenes.spec("rect", rect, List.of(), rectViews, 240, 180, "png", true));
        }
    }

    private static void checkCovered(RenderWorker w, SceneSpec spec) {
        SceneRenderer r = w.renderer();
        SceneModel model = r.prepare(spec);
        for (View v : spec.getViews()) {
            r.drawAndRead(model, v);
            FloatBuffer depth = r.target().depth();
            int uncovered = 0;
            for (int i = 0; i < depth.capacity(); i++) {
                if (depth.get(i) >= 1f) {
                    uncovered++;
                }
            }
            assertEquals(0, uncovered, "pixels showing the void in view " + v.getViewId() + " of " + spec.getSceneId());
        }
    }
}
