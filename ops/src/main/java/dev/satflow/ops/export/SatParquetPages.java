package dev.satflow.ops.export;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.io.ParquetDecodingException;

/**
 * One row group's pages, read a page at a time as parquet-column's column readers ask for them, instead of
 * parquet-java's {@code ParquetFileReader.readNextRowGroup()}, which first reads every requested column chunk of the
 * row group into memory whole: {@code array/SAT}'s files were written with row groups of about 2 GiB, so that would
 * hold gigabytes. Here each column chunk has its own buffered stream from its first page; a page is read, decompressed
 * ({@link PlainCodecs}) and handed over only when its column reader needs it, and dropped once read. Memory is a
 * page per column (two while one is decompressed: its compressed and its decoded bytes, no further copies), plus a
 * column's dictionary page while its chunk is read, whatever the row group's size. Pages are what the writer made
 * them: pyarrow checks a page's size only every 1,024 values, so a page (or dictionary) of 100 KB images can reach
 * ~100 MB; that, not the row group, sets the memory needed. Headers come from
 * parquet-format's {@link Util#readPageHeader}, pages are parquet-column's {@link DataPageV1}/{@link DataPageV2}/
 * {@link DictionaryPage}; encrypted columns and page checksums are not supported (a file with encrypted columns is
 * refused).
 */
final class SatParquetPages implements PageReadStore {
    private final NioInputFile file;
    private final BlockMetaData block;
    private final CompressionCodecFactory codecs;
    private final Map<ColumnPath, ColumnChunkMetaData> chunks = new HashMap<>();
    private final List<ChunkPages> open = new ArrayList<>();
    /** Pages read by kind: dictionary, data v1, data v2, other (skipped). */
    final long[] pagesRead = new long[4];
    /** The largest page read, decompressed, in bytes. */
    long largestPage;

    SatParquetPages(NioInputFile file, BlockMetaData block, CompressionCodecFactory codecs) {
        this.file = file;
        this.block = block;
        this.codecs = codecs;
        for (ColumnChunkMetaData c : block.getColumns()) {
            chunks.put(c.getPath(), c);
        }
    }

    @Override
    public PageReader getPageReader(ColumnDescriptor descriptor) {
        ColumnChunkMetaData chunk = chunks.get(ColumnPath.get(descriptor.getPath()));
        if (chunk == null) {
            throw new ParquetDecodingException(file + ": row group " + block.getOrdinal() + " has no column chunk "
                    + String.join(".", descriptor.getPath()));
        }
        if (chunk.isEncrypted()) {
            throw new ParquetDecodingException(file + ": column " + chunk.getPath().toDotString()
                    + " is encrypted; encrypted Parquet is not supported");
        }
        try {
            ChunkPages p = new ChunkPages(chunk, descriptor);
            open.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot open column " + chunk.getPath().toDotString(), e);
        }
    }

    @Override
    public long getRowCount() {
        return block.getRowCount();
    }

    /** Bytes of this row group's pages (headers included) read so far. */
    long bytesRead() {
        long n = 0;
        for (ChunkPages p : open) {
            n += p.in.count;
        }
        return n;
    }

    @Override
    public void close() {
        for (ChunkPages p : open) {
            p.closeQuietly();
        }
        open.clear();
    }

    /** Counts what is read, so the chunk's end is known. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += k;
            return k;
        }
    }

    /** One column chunk's pages, in file order, one at a time. */
    private final class ChunkPages implements PageReader {
        private final ColumnChunkMetaData chunk;
        private final ColumnDescriptor descriptor;
        private final CompressionCodecFactory.BytesInputDecompressor decompressor;
        private final FileChannel channel;
        private final Counting in;
        private PageHeader pending;
        private long valuesRead;
        private boolean dictionaryAsked;

        ChunkPages(ColumnChunkMetaData chunk, ColumnDescriptor descriptor) throws IOException {
            this.chunk = chunk;
            this.descriptor = descriptor;
            this.decompressor = codecs.getDecompressor(chunk.getCodec());
            this.channel = FileChannel.open(file.path(), StandardOpenOption.READ);
            channel.position(chunk.getStartingPos());
            this.in = new Counting(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
        }

        private String where() {
            return file + ": row group " + block.getOrdinal() + ", column " + chunk.getPath().toDotString();
        }

        /** The next page header in this chunk, or null past its last data page. */
        private PageHeader header() {
            if (pending != null) {
                PageHeader h = pending;
                pending = null;
                return h;
            }
            if (valuesRead >= chunk.getValueCount() || in.count >= chunk.getTotalSize()) {
                return null;
            }
            try {
                return Util.readPageHeader(in);
            } catch (IOException e) {
                throw new ParquetDecodingException(where() + ": unreadable page header at chunk byte " + in.count, e);
            }
        }

        private byte[] body(PageHeader h) {
            int n = h.getCompressed_page_size();
            largestPage = Math.max(largestPage, Math.max(n, h.getUncompressed_page_size()));
            if (n < 0 || in.count + n > chunk.getTotalSize()) {
                throw new ParquetDecodingException(where() + ": page of " + n + " bytes runs past the column chunk ("
                        + chunk.getTotalSize() + " bytes)");
            }
            try {
                byte[] b = new byte[n];
                int got = in.readNBytes(b, 0, n);   // straight into the page's array: no second copy
                if (got != n) {
                    throw new EOFException("file ends " + (n - got) + " bytes into a page");
                }
                return b;
            } catch (IOException e) {
                throw new ParquetDecodingException(where() + ": cannot read a page", e);
            }
        }

        private BytesInput inflate(byte[] compressed, int uncompressedSize) {
            try {
                return decompressor.decompress(BytesInput.from(compressed), uncompressedSize);
            } catch (IOException e) {
                throw new ParquetDecodingException(where() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public DictionaryPage readDictionaryPage() {
            if (dictionaryAsked) {
                return null;
            }
            dictionaryAsked = true;
            PageHeader h = header();
            if (h == null || h.getType() != org.apache.parquet.format.PageType.DICTIONARY_PAGE) {
                pending = h;
                return null;
            }
            DictionaryPageHeader d = h.getDictionary_page_header();
            pagesRead[0]++;
            BytesInput bytes = inflate(body(h), h.getUncompressed_page_size());
            return new DictionaryPage(bytes, h.getUncompressed_page_size(), d.getNum_values(),
                    encoding(d.getEncoding()));
        }

        @Override
        public long getTotalValueCount() {
            return chunk.getValueCount();
        }

        @Override
        public DataPage readPage() {
            if (!dictionaryAsked) {
                readDictionaryPage(); // a dictionary nobody asked for is read and dropped
            }
            while (true) {
                PageHeader h = header();
                if (h == null) {
                    return null;
                }
                switch (h.getType()) {
                    case DATA_PAGE -> {
                        DataPageHeader d = h.getData_page_header();
                        pagesRead[1]++;
                        BytesInput bytes = inflate(body(h), h.getUncompressed_page_size());
                        valuesRead += d.getNum_values();
                        return new DataPageV1(bytes, d.getNum_values(), h.getUncompressed_page_size(), stats(),
                                encoding(d.getRepetition_level_encoding()), encoding(d.getDefinition_level_encoding()),
                                encoding(d.getEncoding()));
                    }
                    case DATA_PAGE_V2 -> {
                        DataPageHeaderV2 d = h.getData_page_header_v2();
                        pagesRead[2]++;
                        byte[] all = body(h);
                        int rl = d.getRepetition_levels_byte_length();
                        int dl = d.getDefinition_levels_byte_length();
                        if (rl < 0 || dl < 0 || rl + dl > all.length) {
                            throw new ParquetDecodingException(where() + ": v2 page levels (" + rl + " + " + dl
                                    + " bytes) exceed the page (" + all.length + ")");
                        }
                        boolean compressed = !d.isSetIs_compressed() || d.isIs_compressed();
                        int rawSize = h.getUncompressed_page_size() - rl - dl;
                        BytesInput values = compressed
                                ? inflate(java.util.Arrays.copyOfRange(all, rl + dl, all.length), rawSize)
                                : BytesInput.from(all, rl + dl, all.length - rl - dl);
                        valuesRead += d.getNum_values();
                        return DataPageV2.uncompressed(d.getNum_rows(), d.getNum_nulls(), d.getNum_values(),
                                BytesInput.from(all, 0, rl), BytesInput.from(all, rl, dl), encoding(d.getEncoding()),
                                values, stats());
                    }
                    case DICTIONARY_PAGE -> throw new ParquetDecodingException(where()
                            + ": a second dictionary page");
                    default -> { // index pages and anything newer: skipped
                        pagesRead[3]++;
                        body(h);
                    }
                }
            }
        }

        private Statistics<?> stats() {
            return Statistics.createStats(descriptor.getPrimitiveType());
        }

        private Encoding encoding(org.apache.parquet.format.Encoding e) {
            try {
                return Encoding.valueOf(e.name());
            } catch (IllegalArgumentException ex) {
                throw new ParquetDecodingException(where() + ": unknown encoding " + e, ex);
            }
        }

        void closeQuietly() {
            try {
                channel.close();
            } catch (IOException e) {
                // reading is over; nothing to lose
            }
        }
    }
}
