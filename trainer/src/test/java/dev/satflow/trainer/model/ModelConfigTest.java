package dev.satflow.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelConfigTest {

    @Test
    void roundTripsThroughJson() {
        ModelConfig config = ModelConfig.withImageSize(96);
        String json = config.toJson();
        assertTrue(json.contains("\"imageSize\" : 96"), json);
        assertEquals(config, ModelConfig.fromJson(json));
        assertEquals(12, config.gridSize());
        assertEquals(8, ModelConfig.defaults().gridSize());
    }

    @Test
    void rejectsConfigsTheModelCannotBuild() {
        ModelConfig d = ModelConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.withImageSize(60)); // not a multiple of 8
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(d.formatVersion(), 64, List.of(),
                48, 64, 4, 5, 4096, 40, 8, d.textEncoding(), 3, 1f));
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(d.formatVersion(), 64, d.cnnChannels(),
                48, 66, 4, 5, 4096, 40, 8, d.textEncoding(), 3, 1f)); // heads must divide hiddenDim
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(99, 64, d.cnnChannels(),
                48, 64, 4, 5, 4096, 40, 8, d.textEncoding(), 3, 1f));
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromJson(
                d.toJson().replace(ModelConfig.TEXT_ENCODING, "bpe")));
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromJson("{not json"));
    }
}
