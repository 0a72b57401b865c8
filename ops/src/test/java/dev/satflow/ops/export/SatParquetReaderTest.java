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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SAT-layout Parquet reader, without Hadoop on the class path (the ops tests run without it): its rows equal
 * DuckDB's (an independent reader) for the exporter's files (ZSTD, SNAPPY, UNCOMPRESSED; several row groups and
 * pages), for data page v2 files (parquet-java's v2 writer), for files DuckDB writes (GZIP, LZ4_RAW, SNAPPY, ZSTD,
 * its V2 encodings, dictionary pages, nulls) and for files pyarrow (HF's writer) wrote; it streams pages instead of
 * loading a row group; it names the file and column when the layout or codec is not one it reads.
 */
class SatParquetReaderTest {
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

    /** A row as plain values, comparable with equals. */
    record Plain(long index, List<String> imagesHex, String question, List<String> answers, String type,
            String correct) {
        static Plain of(SatParquetReader.Row r) {
            return new Plain(r.index(), r.images() == null ? null : r.images().stream().map(Plain::hex).toList(),
                    r.question(), r.answers(), r.questionType(), r.correctAnswer());
        }

        static String hex(byte[] b) {
            return b == null ? null : java.util.HexFormat.of().formatHex(b);
        }
    }

    private static List<Plain> ours(Path file) throws Exception {
        List<Plain> out = new ArrayList<>();
        try (SatParquetReader r = SatParquetReader.open(file)) {
            long i = 0;
            while (r.hasNext()) {
                SatParquetReader.Row row = r.next();
                assertEquals(i++, row.index());
                assertEquals(file.getFileName().toString() + "#" + row.index(), row.id());
                out.add(Plain.of(row));
            }
            assertEquals(r.rows(), out.size(), "rows in the footer");
        }
        return out;
    }

    private List<Plain> duckDb(Path file) throws SQLException {
        List<Plain> out = new ArrayList<>();
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT image_bytes, question, answers, question_type, correct_answer FROM read_parquet(" + sql(file)
                        + ")")) {
            long i = 0;
            while (rs.next()) {
                Array imgs = rs.getArray(1);
                Array answers = rs.getArray(3);
                out.add(new Plain(i++, imgs == null ? null : blobs(imgs).stream().map(Plain::hex).toList(),
                        rs.getString(2), answers == null ? null : strings(answers), rs.getString(4), rs.getString(5)));
            }
        }
        return out;
    }

    @Test
    void readsWithoutHadoopOnTheClassPath() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.hadoop.conf.Configuration"),
                "the ops tests must run without Hadoop (surefire classpathDependencyExcludes in ops/pom.xml)");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.hadoop.fs.Path"));
        List<ExportFixtures.Q> qs = new ExportFixtures().questions(2, 32);
        Path dir = tmp.resolve("out");
        ExportFixtures.export(Format.SAT_PARQUET, dir, Options.defaults(), qs);
        List<Plain> rows = ours(dir.resolve("train.parquet"));
        assertEquals(10, rows.size());
    }

    /**
     * Why the reader does not open parquet-java's ParquetFileReader: every way to open one takes ParquetReadOptions,
     * and its builder makes Hadoop's codec factory in its constructor. Should a parquet-java release drop that, this
     * fails, and ParquetFileReader.readFooter could replace SatParquetReader.readFooter.
     */
    @Test
    void parquetJavasReadOptionsNeedHadoop() {
        Throwable t = assertThrows(Throwable.class,
                () -> ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
        assertTrue(t instanceof NoClassDefFoundError, t.toString());
        assertTrue(t.getMessage().contains("org/apache/hadoop/"), t.getMessage());
    }

    @Test
    void rowsEqualDuckDbsForEveryCodecRowGroupsAndPages() throws Exception {
        List<ExportFixtures.Q> qs = new ExportFixtures().questions(10, 64);
        for (Options.ParquetCodec codec : Options.ParquetCodec.values()) {
            Path dir = tmp.resolve("out-" + codec);
            // small row groups and pages: several of each per file
            Options o = Options.defaults().withParquetCodec(codec).withRowGroupBytes(120_000).withPageBytes(16 << 10);
            ExportFixtures.export(Format.SAT_PARQUET, dir, o, qs);
            for (String split : List.of("train", "val", "test")) {
                Path file = dir.resolve(split + ".parquet");
                List<Plain> rows = ours(file);
                try (SatParquetReader r = SatParquetReader.open(file)) {
                    if (split.equals("train")) {
                        assertTrue(r.rowGroups() >= 3, codec + ": " + r.rowGroups() + " row groups");
                    }
                }
                assertEquals(duckDb(file), rows, codec + " " + split);
                try (SatParquetReader r = SatParquetReader.open(file)) {
                    r.forEachRemaining(row -> { });
                    assertEquals(dictionaries(file), r.pagesRead().get("dictionary"), r.pagesRead().toString());
                }
                List<ExportFixtures.Q> expected = qs.stream().filter(q -> q.q().getSplit().equals(split)).toList();
                assertEquals(expected.size(), rows.size());
                for (int i = 0; i < rows.size(); i++) {
                    ExportFixtures.Q q = expected.get(i);
                    Plain p = rows.get(i);
                    assertEquals(q.q().getQuestion(), p.question());
                    assertEquals(q.q().getChoices(), p.answers());
                    assertEquals(q.q().getCorrectAnswer(), p.correct());
                    assertEquals(q.q().getQuestionType(), p.type());
                    assertEquals(q.images().stream().map(im -> Plain.hex(im.png())).toList(), p.imagesHex());
                }
            }
        }
    }

    @Test
    void readsDataPageV2AndItsEncodings() throws Exception {
        List<SatParquetFile.Row> written = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            List<byte[]> images = i % 3 == 0 ? List.of(ExportFixtures.png(24, i), ExportFixtures.png(24, 100 + i))
                    : List.of(ExportFixtures.png(24, i));
            written.add(new SatParquetFile.Row(images, "question " + (i % 7) + " é", List.of("yes", "no " + i),
                    "type_" + (i % 4), i % 2 == 0 ? "yes" : "no " + i));
        }
        for (Options.ParquetCodec codec : Options.ParquetCodec.values()) {
            Path file = tmp.resolve("v2-" + codec + ".parquet");
            Options o = Options.defaults().withParquetCodec(codec).withRowGroupBytes(40_000).withPageBytes(4 << 10);
            try (SatParquetFile w = new SatParquetFile(file, o,
                    org.apache.parquet.column.ParquetProperties.WriterVersion.PARQUET_2_0)) {
                for (SatParquetFile.Row r : written) {
                    w.write(r);
                }
            }
            List<Plain> rows = ours(file);
            assertEquals(duckDb(file), rows, codec.toString());
            for (int i = 0; i < rows.size(); i++) {
                SatParquetFile.Row r = written.get(i);
                assertEquals(new Plain(i, r.images().stream().map(Plain::hex).toList(), r.question(), r.answers(),
                        r.questionType(), r.correct()), rows.get(i));
            }
            try (SatParquetReader r = SatParquetReader.open(file)) {
                assertTrue(r.rowGroups() > 1, r.rowGroups() + " row groups");
                r.forEachRemaining(row -> { });
                Map<String, Long> pages = r.pagesRead();
                assertTrue(pages.get("data_v2") > 0 && pages.get("data_v1") == 0, pages.toString());
                assertEquals(dictionaries(file), pages.get("dictionary"), pages.toString());
            }
        }
    }

    @Test
    void readsFilesDuckDbWritesInOtherEncodingsAndCodecs() throws Exception {
        List<ExportFixtures.Q> qs = new ExportFixtures().questions(6, 40);
        Path dir = tmp.resolve("out");
        ExportFixtures.export(Format.SAT_PARQUET, dir, Options.defaults(), qs);
        Path source = dir.resolve("train.parquet");
        List<Plain> expected = ours(source);
        // nulls and an empty list too: DuckDB writes them where the exporter never would
        try (Statement st = duck.createStatement()) {
            st.execute("CREATE TABLE t AS SELECT * FROM read_parquet(" + sql(source) + ")");
            st.execute("INSERT INTO t VALUES (NULL, NULL, [], NULL, NULL)");
            st.execute("INSERT INTO t VALUES ([NULL::BLOB, 'x'::BLOB], 'q', ['a', NULL, 'b'], 't', 'a')");
        }
        List<Plain> withNulls = new ArrayList<>(expected);
        withNulls.add(new Plain(expected.size(), null, null, List.of(), null, null));
        withNulls.add(new Plain(expected.size() + 1, Arrays.asList(null, "78"), "q", Arrays.asList("a", null, "b"),
                "t", "a"));
        for (String options : List.of("COMPRESSION 'gzip'", "COMPRESSION 'lz4_raw'",
                "COMPRESSION 'snappy', PARQUET_VERSION V2", "COMPRESSION 'zstd'",
                "COMPRESSION 'uncompressed'")) {
            Path file = tmp.resolve("duck-" + options.replaceAll("[^a-z0-9]", "") + ".parquet");
            try (Statement st = duck.createStatement()) {
                st.execute("COPY t TO " + sql(file) + " (FORMAT parquet, " + options + ")");
            }
            List<Plain> rows = ours(file);
            assertEquals(withNulls, rows, options + " (nulls: a null list and string, an empty list, null elements)");
            assertEquals(duckDb(file), rows, options);
            try (SatParquetReader r = SatParquetReader.open(file)) {
                r.forEachRemaining(row -> { });
                Map<String, Long> pages = r.pagesRead();
                assertEquals(dictionaries(file), pages.get("dictionary"), "every dictionary page DuckDB wrote: "
                        + pages);
                assertTrue(pages.get("data_v1") > 0, options + ": " + pages);
            }
        }
    }

    /**
     * Files as HF's own tooling writes them: pyarrow (make.py beside them): its 3-level lists, dictionary pages (on
     * the image column too), SNAPPY; data page v2 with ZSTD; the legacy {@code list.item} naming with GZIP over five
     * row groups. BROTLI is refused on open, naming the file and column.
     */
    @Test
    void readsPyarrowFilesAsHfWritesThem() throws Exception {
        Path dir = Path.of(getClass().getResource("/sat-pyarrow/default.parquet").toURI()).getParent();
        List<Plain> first = null;
        for (String name : List.of("default", "v2-zstd", "legacy-gzip")) {
            Path file = dir.resolve(name + ".parquet");
            List<Plain> rows = ours(file);
            assertEquals(24, rows.size(), name);
            assertEquals(duckDb(file), rows, name);
            if (first == null) {
                first = rows;
            } else {
                assertEquals(first, rows, name + " holds the same rows as default");
            }
            try (SatParquetReader r = SatParquetReader.open(file)) {
                assertTrue(r.createdBy().startsWith("parquet-cpp-arrow"), r.createdBy());
                assertEquals(name.equals("legacy-gzip") ? 5 : 1, r.rowGroups(), name);
                r.forEachRemaining(row -> { });
                Map<String, Long> pages = r.pagesRead();
                assertEquals(dictionaries(file), pages.get("dictionary"), name + " " + pages);
                assertTrue(pages.get("dictionary") >= 5 * r.rowGroups(), name + ": pyarrow dictionary-encodes every "
                        + "column: " + pages);
                assertTrue(pages.get(name.equals("v2-zstd") ? "data_v2" : "data_v1") > 0, name + " " + pages);
            }
        }
        for (Plain p : first) {
            assertEquals(p.answers().get(0), p.correct(), "HF puts the right answer first");
            assertTrue(p.imagesHex().stream().allMatch(h -> h.startsWith("89504e47")), "PNGs");
        }
        Path brotli = dir.resolve("brotli.parquet");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SatParquetReader.open(brotli));
        assertTrue(e.getMessage().contains("brotli.parquet") && e.getMessage().contains("BROTLI"), e.getMessage());
    }

    @Test
    void readsDictionaryPages() throws Exception {
        // many rows over few distinct values: DuckDB dictionary-encodes them (as pyarrow, which HF uses, does by
        // default); the images are stand-ins, bytes only
        for (String codec : List.of("snappy", "zstd", "gzip")) {
            Path file = tmp.resolve("dict-" + codec + ".parquet");
            try (Statement st = duck.createStatement()) {
                st.execute("COPY (SELECT CASE WHEN i % 5 = 0 THEN [('img' || (i % 3))::BLOB, 'second'::BLOB] "
                        + "ELSE [('img' || (i % 3))::BLOB] END AS image_bytes, 'Where is the mug ' || (i % 7) || '?' "
                        + "AS question, CASE WHEN i % 2 = 0 THEN ['left', 'right'] ELSE ['yes', 'no', 'maybe'] END "
                        + "AS answers, 'type_' || (i % 4) AS question_type, CASE WHEN i % 2 = 0 THEN 'left' ELSE "
                        + "'no' END AS correct_answer FROM range(6000) t(i) ORDER BY i) TO " + sql(file)
                        + " (FORMAT parquet, COMPRESSION '" + codec + "', ROW_GROUP_SIZE 2048)");
            }
            List<Plain> rows = ours(file);
            assertEquals(6000, rows.size());
            assertEquals(duckDb(file), rows, codec);
            try (SatParquetReader r = SatParquetReader.open(file)) {
                r.forEachRemaining(row -> { });
                long dictionaries = dictionaries(file);
                assertTrue(dictionaries > 0, codec + ": DuckDB wrote no dictionary");
                assertEquals(dictionaries, r.pagesRead().get("dictionary"), r.pagesRead().toString());
            }
        }
    }

    /** HF's Image() feature stores an image as a struct of bytes and path: the bytes are read, the path is not. */
    @Test
    void readsImagesStoredAsHfImageStructs() throws Exception {
        Path file = tmp.resolve("structs.parquet");
        try (Statement st = duck.createStatement()) {
            st.execute("COPY (SELECT [{'bytes': 'one'::BLOB, 'path': 'a.png'}, {'bytes': 'two'::BLOB, 'path': NULL}] "
                    + "AS image_bytes, 'q' AS question, ['x', 'y'] AS answers, 't' AS question_type, 'x' AS "
                    + "correct_answer) TO " + sql(file) + " (FORMAT parquet)");
        }
        List<Plain> rows = ours(file);
        assertEquals(List.of(new Plain(0, List.of(Plain.hex("one".getBytes()), Plain.hex("two".getBytes())), "q",
                List.of("x", "y"), "t", "x")), rows);
    }

    @Test
    void streamsPagesInsteadOfLoadingTheRowGroup() throws Exception {
        List<ExportFixtures.Q> qs = new ExportFixtures().questions(12, 96);   // ~28 KB per image, ~1.4 MB of train
        Path dir = tmp.resolve("out");
        Options o = Options.defaults().withParquetCodec(Options.ParquetCodec.UNCOMPRESSED).withPageBytes(16 << 10);
        ExportFixtures.export(Format.SAT_PARQUET, dir, o, qs);
        Path file = dir.resolve("train.parquet");
        try (SatParquetReader r = SatParquetReader.open(file)) {
            assertEquals(1, r.rowGroups(), "one row group");
            long group = r.largestRowGroupBytes();
            assertTrue(group > 1_000_000, group + " B");
            r.next();
            long first = r.bytesRead();
            assertTrue(first > 0 && first < group / 3, "after one row " + first + " of the row group's " + group
                    + " B were read");
            long rows = 1;
            while (r.hasNext()) {
                r.next();
                rows++;
            }
            assertEquals(r.rows(), rows);
            assertTrue(r.bytesRead() >= group * 9 / 10, r.bytesRead() + " of " + group + " B in the end");
        }
    }

    @Test
    void namesTheFileAndColumnWhenTheLayoutIsWrong() throws Exception {
        Path file = tmp.resolve("other.parquet");
        try (Statement st = duck.createStatement()) {
            st.execute("COPY (SELECT 'q' AS question, ['a', 'b'] AS answers, 't' AS question_type, 'a' AS "
                    + "correct_answer) TO " + sql(file) + " (FORMAT parquet)");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SatParquetReader.open(file));
        assertTrue(e.getMessage().contains("other.parquet") && e.getMessage().contains("'image_bytes'"),
                e.getMessage());

        Path scalar = tmp.resolve("scalar.parquet");
        try (Statement st = duck.createStatement()) {
            st.execute("COPY (SELECT ['x'::BLOB] AS image_bytes, 'q' AS question, 'a' AS answers, 't' AS "
                    + "question_type, 'a' AS correct_answer) TO " + sql(scalar) + " (FORMAT parquet)");
        }
        e = assertThrows(IllegalArgumentException.class, () -> SatParquetReader.open(scalar));
        assertTrue(e.getMessage().contains("'answers'") && e.getMessage().contains("list"), e.getMessage());

        Path text = tmp.resolve("notparquet.parquet");
        Files.writeString(text, "just some text, long enough to have a tail");
        e = assertThrows(IllegalArgumentException.class, () -> SatParquetReader.open(text));
        assertTrue(e.getMessage().contains("notparquet.parquet"), e.getMessage());
    }

    /** Dictionary pages in the file, by DuckDB's reading of its metadata. */
    private long dictionaries(Path file) throws SQLException {
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM "
                + "parquet_metadata(" + sql(file) + ") WHERE dictionary_page_offset IS NOT NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<byte[]> blobs(Array a) throws SQLException {
        List<byte[]> out = new ArrayList<>();
        for (Object o : (Object[]) a.getArray()) {
            if (o == null) {
                out.add(null);
            } else if (o instanceof byte[] b) {
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
        return Arrays.stream((Object[]) a.getArray()).map(o -> o == null ? null : String.valueOf(o)).toList();
    }
}
