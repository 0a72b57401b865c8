package dev.satflow.producers.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.satflow.core.validate.SceneSpecValidator;
import dev.satflow.schema.SceneSpec;
import org.junit.jupiter.api.Test;

class SceneGeneratorSmokeTest {
    @Test
    void generatesAValidSpecNamedAfterTheSeed() {
        SceneSpec s = new SceneGenerator(GeneratorSettings.defaults()).generate(42);
        SceneSpecValidator.validate(s);
        assertEquals("scene-42", s.getSceneId());
        assertEquals(SceneGenerator.VERSION, s.getGeneratorVersion());
        assertFalse(s.getObjects().isEmpty());
    }
}
