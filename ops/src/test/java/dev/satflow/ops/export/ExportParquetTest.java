package dev.satflow.ops.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sat-parquet read back by DuckDB (an independent reader): the HF array/SAT columns and types, rows per file,
 * the answers, every image a PNG equal to what was given, row groups within their bound, shards. The ops tests run
 * without Hadoop on the class path (surefire classpathDependencyExcludes), which the first test checks.
 */
class ExportParquetTest {
    @TempDir
    Path tmp;

    private Connection duck;

    @BeforeEach
    void openDuckDb() throws SQLException {
        Properties p = new Properties();
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("threads", "2");
        p.setProperty("memory_limit", "1GB");
        duck = DriverManager.getConnection("jdbc:duckdb:", p);
    }

    @AfterEach
    void closeDuckDb() throws SQLException {
        duck.close();
    }

    private static String sql(Path file) {
        return "'" + file.toString().replace("'", "''") + "'";
    }

    @Test
    void writesWithoutHadoopOnTheClassPath() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.hadoop.conf.Configuration"),
                "the ops tests must run without Hadoop (surefire classpathDependencyExcludes in ops/pom.xml)");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.hadoop.fs.Path"));
        List<ExportFixtures.Q> qs = new ExportFixtures().questions(2, 32);
        Summary s = ExportFixtures.export(Format.SAT_PARQUET, tmp.resolve("out"), Options.defaults(), qs);
        assertEquals(10, s.questions());
    }

    @Test
    void satColumnsTypesRowsAnswersAndImagesReadBackByDuckDb() throws Exception {
        List<ExportFixtures.Q> qs = new ExportFixtures().questions(10, 48);
        Path dir = tmp.resolve("out");
        Summary s = ExportFixtures.export(Format.SAT_PARQUET, dir, Options.defaults(), qs);

        assertEquals(List.of("test.parquet", "train.parquet", "val.parquet"),
                s.files().stream().map(Summary.FileEntry::path).toList());
        assertEquals(Map.of("train", 30L, "val", 10L, "test", 10L), s.bySplit());
        assertEquals(10L, s.byType().get("ego_movement"));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("test.parquet", "train.parquet", "val.parquet"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no .partial left");
        }
        int images = 0;
        for (String split : List.of("train", "val", "test")) {
            Path file = dir.resolve(split + ".parquet");
            assertEquals(Files.size(file), s.files().stream().filter(f -> f.path().equals(split + ".parquet"))
                    .findFirst().orElseThrow().bytes());
            try (Statement st = duck.createStatement()) {
                Map<String, String> types = new LinkedHashMap<>();
                try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + sql(file) + ")")) {
                    while (rs.next()) {
                        types.put(rs.getString("column_name"), rs.getString("column_type"));
                    }
                }
                assertEquals(List.of("image_bytes", "question", "answers", "question_type", "correct_answer"),
                        List.copyOf(types.keySet()));
                assertEquals(List.of("BLOB[]", "VARCHAR", "VARCHAR[]", "VARCHAR", "VARCHAR"),
                        List.copyOf(types.values()));

                // the physical schema: pyarrow's 3-level lists, optional fields, UTF8 strings, no dictionary on images
                Map<String, String> schema = new LinkedHashMap<>();
                try (ResultSet rs = st.executeQuery("SELECT name, repetition_type, converted_type FROM parquet_schema("
                        + sql(file) + ")")) {
                    while (rs.next()) {
                        schema.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3));
                    }
                }
                assertEquals("OPTIONAL LIST", schema.get("image_bytes"));
                assertEquals("REPEATED null", schema.get("list"));
                assertEquals("OPTIONAL UTF8", schema.get("question"));
                assertEquals("OPTIONAL UTF8", schema.get("correct_answer"));
                try (ResultSet rs = st.executeQuery("SELECT DISTINCT compression, encodings FROM parquet_metadata("
                        + sql(file) + ") WHERE path_in_schema LIKE 'image_bytes%'")) {
                    assertTrue(rs.next());
                    assertEquals("ZSTD", rs.getString(1));
                    assertTrue(!rs.getString(2).contains("DICTIONARY"), rs.getString(2));
                }

                List<ExportFixtures.Q> expected = qs.stream().filter(q -> q.q().getSplit().equals(split)).toList();
                try (ResultSet rs = st.executeQuery("SELECT * FROM read_parquet(" + sql(file) + ")")) {
                    int row = 0;
                    while (rs.next()) {
                        ExportFixtures.Q q = expected.get(row++);
                        List<byte[]> imgs = blobs(rs.getArray("image_bytes"));
                        assertEquals(q.images().size(), imgs.size());
                        for (int i = 0; i < imgs.size(); i++) {
                            assertTrue(ExportFixtures.isPng(imgs.get(i)), "PNG magic");
                            assertArrayEquals(q.images().get(i).png(), imgs.get(i));
                            images++;
                        }
                        List<String> answers = strings(rs.getArray("answers"));
                        assertEquals(q.q().getChoices(), answers, "answers in record order");
                        assertTrue(answers.contains(rs.getString("correct_answer")));
                        assertEquals(q.q().getCorrectAnswer(), rs.getString("correct_answer"));
                        assertEquals(q.q().getQuestion(), rs.getString("question"));
                        assertEquals(q.q().getQuestionType(), rs.getString("question_type"));
                    }
                    assertEquals(expected.size(), row, "rows in " + split);
                }
            }
        }
        assertEquals(s.images(), images);
        assertEquals(70, images, "50 questions, 20 of them with two images");
    }

    @Test
    void rowGroupsStayWithinTheBoundAndLargeSplitsBecomeShards() throws Exception {
        List<ExportFixtures.Q> qs = new ExportFixtures().questions(15, 140);   // ~59 KB per image
        Path dir = tmp.resolve("out");
        long bound = 400_000;
        Options o = Options.defaults().withRowGroupBytes(bound).withParquetFileBytes(1_500_000).withPageBytes(64 << 10);
        Summary s = ExportFixtures.export(Format.SAT_PARQUET, dir, o, qs);

        List<String> train = s.files().stream().map(Summary.FileEntry::path).filter(p -> p.startsWith("train"))
                .toList();
        assertTrue(train.size() >= 3, "45 train rows of ~90 KB in 1.5 MB files: " + train);
        for (int i = 0; i < train.size(); i++) {
            assertEquals(String.format("train-%05d-of-%05d.parquet", i, train.size()), train.get(i));
        }
        long rows = 0;
        int groups = 0;
        int multiRowGroups = 0;
        for (Summary.FileEntry f : s.files()) {
            Path file = dir.resolve(f.path());
            assertTrue(Files.size(file) <= 1_500_000 + bound, f + " stays near its 1.5 MB target");
            try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT row_group_id, max(row_group_num_rows), max(row_group_bytes), sum(total_compressed_size)"
                            + " FROM parquet_metadata(" + sql(file) + ") GROUP BY row_group_id ORDER BY 1")) {
                while (rs.next()) {
                    groups++;
                    long n = rs.getLong(2);
                    rows += n;
                    multiRowGroups += n > 1 ? 1 : 0;
                    assertTrue(rs.getLong(3) <= bound, f.path() + " row group " + rs.getLong(1) + ": "
                            + rs.getLong(3) + " B uncompressed > " + bound);
                    assertTrue(rs.getLong(4) <= bound, f.path() + " row group " + rs.getLong(1) + ": "
                            + rs.getLong(4) + " B compressed > " + bound);
                }
            }
            try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT count(*), sum(len(image_bytes)) FROM read_parquet(" + sql(file) + ")")) {
                assertTrue(rs.next());
                assertTrue(rs.getLong(1) > 0);
            }
        }
        assertEquals(qs.size(), rows);
        assertTrue(groups > train.size() + 2, "several row groups per file: " + groups);
        assertTrue(multiRowGroups > 0, "row groups hold several rows");
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*) FROM read_parquet(" + sql(dir.resolve("train-*.parquet")) + ")")) {
            assertTrue(rs.next());
            assertEquals(qs.stream().filter(q -> q.q().getSplit().equals("train")).count(), rs.getLong(1));
        }
    }

    @Test
    void optionsRefuseRowGroupsNearTwoGibibytes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Options.defaults().withRowGroupBytes(2L << 30));
        assertTrue(e.getMessage().contains("rowGroupBytes"), e.getMessage());
    }

    private static List<byte[]> blobs(Array a) throws SQLException {
        List<byte[]> out = new ArrayList<>();
        for (Object o : (Object[]) a.getArray()) {
            if (o instanceof byte[] b) {
                out.add(b);
            } else if (o instanceof Blob b) {
                out.add(b.getBytes(1, (int) b.length()));
            } else if (o instanceof java.nio.ByteBuffer bb) {
                byte[] b = new byte[bb.remaining()];
                bb.duplicate().get(b);
                out.add(b);
            } else {
                throw new AssertionError("BLOB element of " + (o == null ? "null" : o.getClass()));
            }
        }
        return out;
    }

    private static List<String> strings(Array a) throws SQLException {
        return java.util.Arrays.stream((Object[]) a.getArray()).map(String::valueOf).collect(Collectors.toList());
    }
}
