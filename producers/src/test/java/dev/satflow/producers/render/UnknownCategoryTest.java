package dev.satflow.producers.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnknownCategoryTest {

    @Test
    void unknownCategoryNamesTheCategoryAndObject() {
        SceneSpec spec = TestScenes.furnished(64, 64);
        List<SceneObject> objects = new ArrayList<>(spec.getObjects());
        objects.add(TestScenes.object(42, "hovercraft", 0, 0.5, 0, 1, 1, 1, 0, TestScenes.material(1, 0, 0)));
        spec.setObjects(objects);
        try (RenderWorker w = new RenderWorker(RenderOptions.defaults().withCatalog(TestScenes.CATALOG))) {
            UnknownCategoryException e = assertThrows(UnknownCategoryException.class, () -> w.renderScene(spec));
            assertEquals("hovercraft", e.category());
            assertEquals(42, e.objectId());
            assertTrue(e.getMessage().contains("'hovercraft'") && e.getMessage().contains("42")
                    && e.getMessage().contains("furnished"), e.getMessage());
            // the worker is still fine afterwards
            spec.setObjects(objects.subList(0, objects.size() - 1));
            assertEquals(spec.getViews().size(), w.renderScene(spec).size());
        }
    }
}
