package dev.satflow.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    static final List<Setting> SETTINGS = List.of(
            new Setting("render.width", "256", "w"),
            new Setting("render.format", "png", "f"),
            new Setting("bootstrap", null, "b"),
            new Setting("train.dynamic-fraction", "0.5", "d"));

    @Test
    void layersOverrideInOrderDefaultsFileEnvFlags(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("satflow.properties");
        Files.writeString(file, "render.width=320\nrender.format=jpeg\ntrain.dynamic-fraction=0.3\n");
        Map<String, Object> flags = new HashMap<>();
        flags.put("train.dynamic-fraction", 0.7);
        flags.put("bootstrap", null); // a flag not given
        Config c = Config.builder(SETTINGS).file(file)
                .env(Map.of("SATFLOW_RENDER_FORMAT", "png", "SATFLOW_TRAIN_DYNAMIC_FRACTION", "0.6"))
                .flags(flags).build();
        assertEquals(320, c.integer("render.width"));
        assertTrue(c.source("render.width").startsWith("file"));
        assertEquals("png", c.string("render.format"));
        assertEquals("env SATFLOW_RENDER_FORMAT", c.source("render.format"));
        assertEquals(0.7, c.decimal("train.dynamic-fraction"));
        assertTrue(c.optional("bootstrap").isEmpty());
    }

    @Test
    void badValuesNameKeyValueAndSource() {
        Config c = Config.builder(SETTINGS).env(Map.of("SATFLOW_RENDER_WIDTH", "wide")).build();
        ConfigException e = assertThrows(ConfigException.class, () -> c.integer("render.width"));
        assertEquals("setting 'render.width' = 'wide' (from env SATFLOW_RENDER_WIDTH): expected an integer",
                e.getMessage());
        ConfigException range = assertThrows(ConfigException.class,
                () -> Config.builder(SETTINGS).build().integer("render.width", 16, 128));
        assertTrue(range.getMessage().contains("[16, 128]"), range.getMessage());
        ConfigException missing = assertThrows(ConfigException.class,
                () -> Config.builder(SETTINGS).build().string("bootstrap"));
        assertTrue(missing.getMessage().contains("SATFLOW_BOOTSTRAP"), missing.getMessage());
    }

    @Test
    void unknownKeysInFileOrFlagsFailFast(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.properties");
        Files.writeString(file, "render.widht=300\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Config.builder(SETTINGS).file(file));
        assertTrue(e.getMessage().startsWith("unknown setting 'render.widht' (from file"), e.getMessage());
        assertThrows(ConfigException.class, () -> Config.builder(SETTINGS).flags(Map.of("nope", 1)));
        assertThrows(ConfigException.class, () -> Config.builder(SETTINGS).file(dir.resolve("absent")));
    }

    @Test
    void everyDeclaredSettingHasADistinctEnvName() {
        assertEquals(SatflowSettings.ALL.size(),
                SatflowSettings.ALL.stream().map(Setting::envName).distinct().count());
    }
}
