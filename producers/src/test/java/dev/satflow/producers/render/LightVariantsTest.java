package dev.satflow.producers.render;

import static dev.satflow.producers.render.TestScenes.camera;
import static dev.satflow.producers.render.TestScenes.floorBox;
import static dev.satflow.producers.render.TestScenes.material;
import static dev.satflow.producers.render.TestScenes.view;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.satflow.schema.Light;
import dev.satflow.schema.Room;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The lit shader is compiled per light count, so a scene pays only for the lights it has. Each variant must
 * give the same bytes as the {@value SceneModel#MAX_LIGHTS}-slot shader with its unused slots black (the
 * shader before the variants), for every light count and shadow kind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LightVariantsTest {
    private static final int SIZE = 96;
    private RenderWorker worker;

    @BeforeAll
    void open() {
        worker = new RenderWorker(RenderOptions.defaults().withCatalog(TestScenes.CATALOG));
    }

    @AfterAll
    void close() {
        worker.close();
    }

    private byte[] render(List<Light> lights, boolean padded) {
        Room room = TestScenes.rectRoom(6, 6).setLights(new ArrayList<>(lights)).build();
        List<SceneObject> objects = List.of(floorBox(1, 0.4, -0.3, 0.6, material(0.7, 0.3, 0.2)),
                floorBox(2, -0.8, 0.5, 0.4, material(0.2, 0.5, 0.7)));
        List<View> views = List.of(view("v", camera(0, 1.6, 2.8, 180, 25, 70), List.of()));
        SceneSpec s = TestScenes.spec("lights", room, objects, views, SIZE, SIZE, "png", true);
        worker.renderer().padLightSlots(padded);
        try {
            return worker.renderSceneUnencoded(s).get(0).rgb();
        } finally {
            worker.renderer().padLightSlots(false);
        }
    }

    @Test
    void everyLightCountAndShadowKindMatchesThePaddedShader() {
        Light lamp = TestScenes.pointLight(0.5, 2.3, 0.5, true);
        Light sun = TestScenes.directional(1, 1, 0.3, true);
        Light plain = TestScenes.pointLight(-1, 2.2, -1, false);
        Light fill = TestScenes.pointLight(1.5, 2.0, -1.5, false);
        Light window = TestScenes.directional(-1, 0.8, 0.2, false);
        for (Light first : List.of(lamp, sun, plain)) {
            byte[] previous = null;
            for (List<Light> lights : List.of(List.of(first), List.of(first, fill), List.of(first, fill, window))) {
                String what = lights.size() + " lights, the first " + first.getKind()
                        + (first.getCastsShadows() ? " with shadows" : "");
                byte[] variant = render(lights, false);
                assertArrayEquals(render(lights, true), variant, what);
                if (previous != null) {
                    assertFalse(Arrays.equals(previous, variant), what + ": the last light shows");
                }
                previous = variant;
            }
        }
    }
}
