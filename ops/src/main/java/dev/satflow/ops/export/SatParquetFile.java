package dev.satflow.ops.export;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * One HF {@code array/SAT} Parquet file, written with parquet-java's file writer and column stores but with the
 * row groups cut here: parquet-java's {@code ParquetWriter} sizes row groups by their <em>compressed</em> bytes,
 * and ZSTD shrinks a page where the same frame appears twice (questions on one view), so decoded row groups could
 * be several times the target; readers (pyarrow, HF datasets) care about the decoded size, so that is what is
 * bounded. No Hadoop class is touched.
 */
final class SatParquetFile implements Closeable {
    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message sat {
              optional group image_bytes (LIST) { repeated group list { optional binary element; } }
              optional binary question (STRING);
              optional group answers (LIST) { repeated group list { optional binary element (STRING); } }
              optional binary question_type (STRING);
              optional binary correct_answer (STRING);
            }""");
    static final String IMAGE_COLUMN = "image_bytes.list.element";

    /** Per value: 4-byte length prefix plus definition / repetition levels, generously. */
    private static final int VALUE_OVERHEAD = 8;
    /** Per page: a page header (with min/max statistics of a string column), generously. */
    private static final int PAGE_OVERHEAD = 1024;
    private static final int COLUMNS = 5;

    /** One row of the SAT table. */
    record Row(List<byte[]> images, String question, List<String> answers, String questionType, String correct) {
        /** Decoded bytes this row adds to a row group, at most. */
        long bytes() {
            long n = utf8(question) + utf8(questionType) + utf8(correct) + 3L * VALUE_OVERHEAD;
            for (byte[] b : images) {
                n += b.length + VALUE_OVERHEAD;
            }
            for (String a : answers) {
                n += utf8(a) + VALUE_OVERHEAD;
            }
            return n;
        }

        private static long utf8(String s) {
            return 3L * s.length();   // an upper bound; exactness does not matter here
        }
    }

    private final ParquetFileWriter file;
    private final ParquetProperties props;
    private final BytesInputCompressor compressor;
    private final SatWriteSupport rows = new SatWriteSupport();
    private final MessageColumnIO columnIO = new ColumnIOFactory(false).getColumnIO(SCHEMA);
    private final long groupBound;
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore columns;
    private RecordConsumer consumer;
    private int ordinal;
    private long groupRows;
    private long groupBytes;
    private long rowCount;

    SatParquetFile(Path path, Options o) throws IOException {
        this(path, o, ParquetProperties.WriterVersion.PARQUET_1_0);
    }

    /** With another writer version: PARQUET_2_0 writes data page v2 and v2 encodings (tests read those back). */
    SatParquetFile(Path path, Options o, ParquetProperties.WriterVersion version) throws IOException {
        props = ParquetProperties.builder()
                .withWriterVersion(version)
                .withPageSize(o.pageBytes())
                .withDictionaryEncoding(IMAGE_COLUMN, false)
                // check page sizes after every row: rows are ~100 KB, so the default (every 100 rows, then an
                // estimate) gives 10 MB pages
                .withMinRowCountForPageSizeCheck(1)
                .withMaxRowCountForPageSizeCheck(1)
                .withStatisticsEnabled(IMAGE_COLUMN, false)
                .withSizeStatisticsEnabled(IMAGE_COLUMN, false)
                .build();
        compressor = new PlainCodecs(o.zstdLevel()).getCompressor(PlainCodecs.codec(o.parquetCodec()));
        long overhead = (o.rowGroupBytes() / o.pageBytes() + 2) * COLUMNS * PAGE_OVERHEAD;
        groupBound = Math.max(1, o.rowGroupBytes() - overhead);
        file = new ParquetFileWriter(new NioOutputFile(path), SCHEMA, ParquetFileWriter.Mode.OVERWRITE,
                o.rowGroupBytes(), 0, null, props);
        file.start();
        startGroup();
    }

    private void startGroup() {
        pages = ColumnChunkPageWriteStore.builder().withSchema(SCHEMA).withAllocator(props.getAllocator())
                .withColumnIndexTruncateLength(props.getColumnIndexTruncateLength())
                .withPageWriteChecksumEnabled(props.getPageWriteChecksumEnabled())
                .withCompressorProvider(column -> compressor).withRowGroupOrdinal(ordinal).build();
        columns = props.newColumnWriteStore(SCHEMA, pages, pages);
        consumer = columnIO.getRecordWriter(columns);
        rows.prepareForWrite(consumer);
        groupRows = 0;
        groupBytes = 0;
    }

    /** Adds a row, first ending the row group when the row would take it past its bound. */
    void write(Row r) throws IOException {
        long b = r.bytes();
        if (groupRows > 0 && groupBytes + b > groupBound) {
            flushGroup();
            startGroup();
        }
        rows.write(r);   // the record consumer ends the record in the column store
        groupRows++;
        groupBytes += b;
        rowCount++;
    }

    private void flushGroup() throws IOException {
        consumer.flush();
        file.startBlock(groupRows);
        columns.flush();
        pages.flushToFileWriter(file);
        file.endBlock();
        columns.close();
        pages.close();
        ordinal++;
    }

    /** Rows written. */
    long rows() {
        return rowCount;
    }

    /** Bytes in the file plus the decoded bytes buffered for the current row group. */
    long size() throws IOException {
        return file.getPos() + groupBytes;
    }

    @Override
    public void close() throws IOException {
        if (groupRows > 0) {
            flushGroup();
        } else {
            columns.close();
            pages.close();
        }
        groupRows = 0;
        file.end(Map.of());
    }

    /** Writes a {@link Row} straight to the record consumer, in the 3-level list form pyarrow writes. */
    static final class SatWriteSupport extends WriteSupport<Row> {
        private RecordConsumer rc;

        @Override
        public WriteContext init(org.apache.hadoop.conf.Configuration conf) {
            return new WriteContext(SCHEMA, Map.of());
        }

        @Override
        public WriteContext init(ParquetConfiguration conf) {
            return new WriteContext(SCHEMA, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.rc = recordConsumer;
        }

        @Override
        public void write(Row r) {
            rc.startMessage();
            rc.startField("image_bytes", 0);
            list(r.images().size(), i -> Binary.fromConstantByteArray(r.images().get(i)));
            rc.endField("image_bytes", 0);
            string(1, "question", r.question());
            rc.startField("answers", 2);
            list(r.answers().size(), i -> Binary.fromString(r.answers().get(i)));
            rc.endField("answers", 2);
            string(3, "question_type", r.questionType());
            string(4, "correct_answer", r.correct());
            rc.endMessage();
        }

        private void string(int index, String name, String value) {
            rc.startField(name, index);
            rc.addBinary(Binary.fromString(value));
            rc.endField(name, index);
        }

        private void list(int n, java.util.function.IntFunction<Binary> element) {
            rc.startGroup();
            if (n > 0) {
                rc.startField("list", 0);
                for (int i = 0; i < n; i++) {
                    rc.startGroup();
                    rc.startField("element", 0);
                    rc.addBinary(element.apply(i));
                    rc.endField("element", 0);
                    rc.endGroup();
                }
                rc.endField("list", 0);
            }
            rc.endGroup();
        }
    }
}
