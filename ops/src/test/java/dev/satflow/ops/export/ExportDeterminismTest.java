package dev.satflow.ops.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The same questions give byte-identical files; manifest.json differs only in created_at. */
class ExportDeterminismTest {
    @TempDir
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path export(Format f, Path dir, Instant at) throws Exception {
        List<ExportFixtures.Q> qs = new ExportFixtures().questions(6, 40);
        try (DatasetWriter w = DatasetWriters.open(f, dir, Options.defaults().withTarShardBytes(200_000)
                .withParquetFileBytes(300_000).withRowGroupBytes(100_000))) {
            for (ExportFixtures.Q q : qs) {
                w.write(q.q(), q.images());
            }
            w.finish();
            return w.writeManifest(Manifest.builder()
                    .source("satflow.qa.v2", 1, 0, 17).source("satflow.qa.v2", 0, 5, 40)
                    .source("satflow.qa.v2", 1, 17, 30)
                    .generatorVersion("qa", "satflow-qa/2")
                    .command("satflow export --format " + f.id() + " --out " + dir)
                    .satflowVersion("0.1.0-SNAPSHOT").createdAt(at));
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void sameQuestionsSameBytes(Format format) throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path ma = export(format, a, Instant.parse("2026-01-01T00:00:00Z"));
        Path mb = export(format, b, Instant.parse("2026-02-02T00:00:00Z"));

        Map<String, byte[]> ta = ExportFixtures.tree(a);
        Map<String, byte[]> tb = ExportFixtures.tree(b);
        assertEquals(ta.keySet(), tb.keySet());
        assertTrue(ta.size() > 3, ta.keySet().toString());
        for (String f : ta.keySet()) {
            if (!f.equals("manifest.json")) {
                assertArrayEquals(ta.get(f), tb.get(f), f);
            }
        }

        ObjectNode ja = (ObjectNode) JSON.readTree(ma.toFile());
        ObjectNode jb = (ObjectNode) JSON.readTree(mb.toFile());
        assertNotEquals(ja.get("created_at"), jb.get("created_at"));
        assertEquals("2026-01-01T00:00:00Z", ja.get("created_at").asText());
        ja.remove(List.of("created_at", "command"));
        jb.remove(List.of("created_at", "command"));
        assertEquals(ja, jb);

        JsonNode m = ja;
        assertEquals(format.id(), m.get("format").asText());
        assertEquals("0.1.0-SNAPSHOT", m.get("satflow_version").asText());
        assertEquals(30, m.get("questions").asInt());
        assertEquals(2, m.get("sources").size());
        JsonNode p1 = m.get("sources").get(1);
        assertEquals(1, p1.get("partition").asInt());
        assertEquals(0, p1.get("start_offset").asLong());
        assertEquals(30, p1.get("end_offset").asLong(), "ranges of one partition merge");
        assertEquals("[\"satflow-qa/2\"]", m.get("generator_versions").get("qa").toString());
        assertEquals("[\"satflow-gen/3\"]", m.get("generator_versions").get("scene").toString());
        assertEquals("[\"satflow-gl/2\"]", m.get("generator_versions").get("renderer").toString());
        assertEquals(0, m.get("scene_seeds").get("min").asLong());
        assertEquals(5, m.get("scene_seeds").get("max").asLong());
        assertEquals(20, m.get("counts").get("by_split").get("train").asInt());
        assertEquals(6, m.get("counts").get("by_type").get("perspective").asInt());
        assertEquals(4, m.get("counts").get("by_split_and_type").get("train").get("counting").asInt());
        long listed = 0;
        for (JsonNode f : m.get("files")) {
            assertEquals(Files.size(a.resolve(f.get("path").asText())), f.get("bytes").asLong());
            listed++;
        }
        assertTrue(listed >= 3);
    }
}
