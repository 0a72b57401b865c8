package dev.satflow.ops.export;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads the HF {@code array/SAT} columns ({@code image_bytes} list&lt;binary&gt;, {@code question}, {@code answers}
 * list&lt;string&gt;, {@code question_type}, {@code correct_answer}) from a Parquet file, a row at a time, without
 * Hadoop and without holding a row group: the footer decoded by parquet-java's {@link ParquetMetadataConverter}
 * from a java.nio {@link NioInputFile}, pages streamed by {@link SatParquetPages} (decompressed by
 * {@link PlainCodecs}), records assembled by parquet-column ({@link ColumnIOFactory}) into {@link Row}s by a small
 * converter tree. Other columns in the file are not read. parquet-java's {@code ParquetFileReader} is not used: it
 * cannot be opened without Hadoop ({@link #readFooter}), and it reads whole row groups.
 *
 * <p>Lists may be in any of Parquet's list forms (pyarrow's 3-level {@code list.element}, older {@code list.item} or
 * {@code array}, 2-level, a bare repeated field); an image list whose element is a struct (HF {@code Image()}:
 * {@code bytes}, {@code path}) is read through its {@code bytes} field. A null is handed over as null (a null list,
 * a null element in a list, a null string) for the caller to judge; the file's layout itself is checked on
 * {@link #open}.
 */
public final class SatParquetReader implements Closeable, Iterator<SatParquetReader.Row> {
    /** The columns read, in this order. */
    public static final List<String> COLUMNS = List.of("image_bytes", "question", "answers", "question_type",
            "correct_answer");
    private static final int IMAGES = 0;
    private static final int QUESTION = 1;
    private static final int ANSWERS = 2;
    private static final int TYPE = 3;
    private static final int CORRECT = 4;

    /**
     * One row as stored; any field may be null (a null in the file).
     *
     * @param file  the file's name
     * @param index the row's index in the file, from 0
     */
    public record Row(String file, long index, List<byte[]> images, String question, List<String> answers,
            String questionType, String correctAnswer) {
        /** {@code file#index}: how the row is named in reports. */
        public String id() {
            return file + "#" + index;
        }
    }

    private final NioInputFile input;
    private final String name;
    private final ParquetMetadata footer;
    private final MessageType requested;
    private final MessageColumnIO columnIO;
    private final Materializer materializer;
    private final PlainCodecs codecs = PlainCodecs.forReading();
    private int block = -1;
    private long blockRows;
    private long inBlock;
    private long index;
    private SatParquetPages pages;
    private long closedBytes;
    private long largestPage;
    private final long[] closedPages = new long[4];
    private RecordReader<Row> records;

    private SatParquetReader(Path file) throws IOException {
        this.input = new NioInputFile(file);
        this.name = String.valueOf(file.getFileName());
        this.footer = readFooter(input);
        FileMetaData meta = footer.getFileMetaData();
        if (meta.getEncryptionType() != FileMetaData.EncryptionType.UNENCRYPTED) {
            throw new IllegalArgumentException(file + ": encrypted Parquet (" + meta.getEncryptionType()
                    + ") is not supported");
        }
        MessageType schema = meta.getSchema();
        List<Type> fields = new ArrayList<>();
        String[][] leaves = new String[COLUMNS.size()][];
        for (int f = 0; f < COLUMNS.size(); f++) {
            String col = COLUMNS.get(f);
            if (!schema.containsField(col)) {
                throw new IllegalArgumentException(file + ": no column '" + col + "' (its columns: "
                        + schema.getFields().stream().map(Type::getName).toList() + "); expected the HF array/SAT "
                        + "columns " + COLUMNS);
            }
            fields.add(schema.getType(col));
            leaves[f] = leaf(file, schema, col, f == IMAGES || f == ANSWERS);
        }
        for (BlockMetaData b : footer.getBlocks()) { // an unreadable codec fails now, not rows into the file
            for (var c : b.getColumns()) {
                if (COLUMNS.contains(c.getPath().toArray()[0])) {
                    try {
                        codecs.getDecompressor(c.getCodec());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(file + ": column " + c.getPath().toDotString() + ": "
                                + e.getMessage(), e);
                    }
                }
            }
        }
        this.requested = new MessageType(schema.getName(), fields);
        this.columnIO = new ColumnIOFactory(meta.getCreatedBy()).getColumnIO(requested, schema);
        this.materializer = new Materializer(requested, leaves);
    }

    /**
     * The footer, read as parquet-java's {@code ParquetFileReader.readFooter} does (length and magic at the end,
     * then the Thrift footer through {@link ParquetMetadataConverter}). Not through {@code ParquetFileReader}
     * itself: every way to open it takes a {@code ParquetReadOptions}, whose builder creates Hadoop's codec factory
     * (and asks Hadoop's {@code ParquetInputFormat} for a filter) in its constructor, whatever codec factory is
     * given afterwards, so it fails without Hadoop on the class path ({@code SatParquetReaderTest} pins this).
     */
    private static ParquetMetadata readFooter(NioInputFile input) throws IOException {
        long len = input.getLength();
        if (len < 12) {
            throw new IllegalArgumentException(input + ": not a Parquet file (" + len + " bytes)");
        }
        try (SeekableInputStream in = input.newStream()) {
            byte[] head = new byte[4];
            in.readFully(head);
            byte[] tail = new byte[8];
            in.seek(len - 8);
            in.readFully(tail);
            String magic = new String(tail, 4, 4, StandardCharsets.US_ASCII);
            if (magic.equals("PARE")) {
                throw new IllegalArgumentException(input + ": encrypted Parquet (encrypted footer) is not supported");
            }
            if (!magic.equals("PAR1") || !new String(head, StandardCharsets.US_ASCII).equals("PAR1")) {
                throw new IllegalArgumentException(input + ": not a Parquet file (no PAR1 magic at its start and end)");
            }
            long footerLen = ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            if (footerLen == 0 || footerLen > len - 12) {
                throw new IllegalArgumentException(input + ": footer length " + footerLen + " does not fit a file of "
                        + len + " bytes");
            }
            byte[] footer = new byte[(int) footerLen];
            in.seek(len - 8 - footerLen);
            in.readFully(footer);
            try {
                return new ParquetMetadataConverter().readParquetMetadata(new ByteArrayInputStream(footer),
                        ParquetMetadataConverter.NO_FILTER);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(input + ": unreadable Parquet footer: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Opens a file and checks its layout (reads the footer only).
     *
     * @throws IllegalArgumentException naming the file when it is not Parquet, is encrypted, or lacks a column of
     *                                  the SAT layout (or has it in another shape)
     */
    public static SatParquetReader open(Path file) throws IOException {
        return new SatParquetReader(file);
    }

    /** The leaf column a field's values come from, checked to be binary and (for lists) repeated once. */
    private static String[] leaf(Path file, MessageType schema, String col, boolean list) {
        List<ColumnDescriptor> under = schema.getColumns().stream().filter(c -> c.getPath()[0].equals(col)).toList();
        ColumnDescriptor leaf = under.size() == 1 ? under.get(0) : null;
        if (leaf == null && list) { // HF Image(): a struct of bytes and path
            List<ColumnDescriptor> bytes = under.stream()
                    .filter(c -> c.getPath()[c.getPath().length - 1].equals("bytes")).toList();
            leaf = bytes.size() == 1 ? bytes.get(0) : null;
        }
        String shape = list ? "a list of binary values" : "a binary (string) value";
        if (leaf == null) {
            throw new IllegalArgumentException(file + ": column '" + col + "' has " + under.size()
                    + " leaf columns; expected " + shape + "\n" + schema.getType(col));
        }
        if (leaf.getPrimitiveType().getPrimitiveTypeName() != PrimitiveType.PrimitiveTypeName.BINARY
                || leaf.getMaxRepetitionLevel() != (list ? 1 : 0)) {
            throw new IllegalArgumentException(file + ": column '" + col + "' is " + schema.getType(col)
                    + "; expected " + shape);
        }
        return leaf.getPath();
    }

    /** Rows in the file (from its footer). */
    public long rows() {
        return footer.getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum();
    }

    /** Row groups in the file. */
    public int rowGroups() {
        return footer.getBlocks().size();
    }

    /** The largest row group's size, compressed, in bytes. */
    public long largestRowGroupBytes() {
        return footer.getBlocks().stream().mapToLong(BlockMetaData::getCompressedSize).max().orElse(0);
    }

    /** The writer named in the file's footer. */
    public String createdBy() {
        return footer.getFileMetaData().getCreatedBy();
    }

    /** The file's name, as rows name it. */
    public String name() {
        return name;
    }

    @Override
    public boolean hasNext() {
        while (records == null || inBlock >= blockRows) {
            closePages();
            if (block + 1 >= footer.getBlocks().size()) {
                return false;
            }
            block++;
            BlockMetaData b = footer.getBlocks().get(block);
            pages = new SatParquetPages(input, b, codecs);
            records = columnIO.getRecordReader(pages, materializer);
            blockRows = b.getRowCount();
            inBlock = 0;
        }
        return true;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException(name + ": no rows left");
        }
        Row r;
        try {
            r = records.read();
        } catch (ParquetDecodingException | UncheckedIOException e) {
            throw new ParquetDecodingException(name + ": row " + index + " (row group " + block + "): "
                    + e.getMessage(), e);
        }
        inBlock++;
        index++;
        return r;
    }

    /** Bytes of pages (headers included) read from the file so far: what streaming has had to hold, in all. */
    long bytesRead() {
        return closedBytes + (pages == null ? 0 : pages.bytesRead());
    }

    /** Pages read so far by kind: {@code dictionary}, {@code data_v1}, {@code data_v2}, {@code skipped}. */
    java.util.Map<String, Long> pagesRead() {
        long[] n = closedPages.clone();
        if (pages != null) {
            for (int i = 0; i < n.length; i++) {
                n[i] += pages.pagesRead[i];
            }
        }
        return java.util.Map.of("dictionary", n[0], "data_v1", n[1], "data_v2", n[2], "skipped", n[3]);
    }

    /** The largest page read so far (decompressed bytes): with a dictionary, what reading needs memory for. */
    public long largestPageBytes() {
        return Math.max(largestPage, pages == null ? 0 : pages.largestPage);
    }

    private void closePages() {
        if (pages != null) {
            largestPage = Math.max(largestPage, pages.largestPage);
            for (int i = 0; i < closedPages.length; i++) {
                closedPages[i] += pages.pagesRead[i];
            }
            closedBytes += pages.bytesRead();
            pages.close();
            pages = null;
        }
        records = null;
    }

    @Override
    public void close() {
        closePages();
        block = footer.getBlocks().size();
    }

    /** A list field's values as they arrive: an element opened by its repeated group, then filled by its leaf. */
    private static final class Elements<T> {
        private final Function<Binary, T> decode;
        List<T> items;
        private boolean open;

        Elements(Function<Binary, T> decode) {
            this.decode = decode;
        }

        void reset(boolean empty) {
            items = empty ? new ArrayList<>(4) : null;
            open = false;
        }

        /** The list itself is present (not null). */
        void present() {
            items = new ArrayList<>(4);
        }

        /** An element starts; it stays null unless its value follows. */
        void element() {
            items.add(null);
            open = true;
        }

        void value(Binary v) {
            T t = decode.apply(v);
            if (open) {
                items.set(items.size() - 1, t);
                open = false;
            } else { // a repeated leaf: each value is an element
                items.add(t);
            }
        }

        List<T> done() {
            return items == null ? null : Collections.unmodifiableList(items);
        }
    }

    /** Turns the five fields' leaf values into a {@link Row}. */
    private final class Materializer extends RecordMaterializer<Row> {
        final String[][] leaves;
        final Root root;
        long next;
        private Row current;

        Materializer(MessageType schema, String[][] leaves) {
            this.leaves = leaves;
            this.root = new Root(schema);
        }

        @Override
        public Row getCurrentRecord() {
            return current;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }

        /** The record: one value holder per field. */
        private final class Root extends GroupConverter {
            private final Converter[] fields;
            final Elements<byte[]> images = new Elements<>(Binary::getBytes);
            final Elements<String> answers = new Elements<>(Binary::toStringUsingUTF8);
            final String[] strings = new String[COLUMNS.size()];
            final boolean[] bare = new boolean[COLUMNS.size()];

            Root(MessageType schema) {
                fields = new Converter[COLUMNS.size()];
                for (int f = 0; f < fields.length; f++) {
                    Type t = schema.getType(f);
                    int field = f;
                    Elements<?> list = f == IMAGES ? images : f == ANSWERS ? answers : null;
                    if (list == null) {
                        fields[f] = new Leaf(v -> strings[field] = v.toStringUsingUTF8());
                    } else if (t.isPrimitive()) { // a bare repeated field: a list that is never null
                        bare[f] = true;
                        fields[f] = new Leaf(list::value);
                    } else {
                        fields[f] = new Group(t.asGroupType(), new String[] {t.getName()}, leaves[f], list, true);
                    }
                }
            }

            @Override
            public Converter getConverter(int fieldIndex) {
                return fields[fieldIndex];
            }

            @Override
            public void start() {
                images.reset(bare[IMAGES]);
                answers.reset(bare[ANSWERS]);
                Arrays.fill(strings, null);
            }

            @Override
            public void end() {
                current = new Row(name, next++, images.done(), strings[QUESTION], answers.done(), strings[TYPE],
                        strings[CORRECT]);
            }
        }
    }

    /**
     * A group inside a list field: the field itself (its start: the list is there), a repeated group (its start: an
     * element), or a group within an element; the chosen leaf feeds the list, any other leaf is ignored.
     */
    private static final class Group extends GroupConverter {
        private final Converter[] children;
        private final Runnable onStart;

        Group(GroupType type, String[] path, String[] wanted, Elements<?> list, boolean top) {
            this.onStart = top ? list::present
                    : type.isRepetition(Type.Repetition.REPEATED) ? list::element : () -> { };
            children = new Converter[type.getFieldCount()];
            for (int i = 0; i < children.length; i++) {
                Type c = type.getType(i);
                String[] p = Arrays.copyOf(path, path.length + 1);
                p[path.length] = c.getName();
                if (c.isPrimitive()) {
                    children[i] = new Leaf(Arrays.equals(p, wanted) ? list::value : v -> { });
                } else {
                    children[i] = new Group(c.asGroupType(), p, wanted, list, false);
                }
            }
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return children[fieldIndex];
        }

        @Override
        public void start() {
            onStart.run();
        }

        @Override
        public void end() {}
    }

    private static final class Leaf extends PrimitiveConverter {
        private final Consumer<Binary> sink;

        Leaf(Consumer<Binary> sink) {
            this.sink = sink;
        }

        @Override
        public void addBinary(Binary value) {
            sink.accept(value);
        }
    }
}
