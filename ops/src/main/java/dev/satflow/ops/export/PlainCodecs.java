package dev.satflow.ops.export;

import com.github.luben.zstd.Zstd;
import io.airlift.compress.lz4.Lz4Decompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Page codecs for parquet-java that need no Hadoop (its stock factory loads Hadoop codec classes even for
 * UNCOMPRESSED). Compress: ZSTD through zstd-jni, SNAPPY through snappy-java, both of which parquet-hadoop brings.
 * Decompress (what files written elsewhere use, pyarrow's default SNAPPY included): those two, GZIP through the
 * JDK, LZ4_RAW through aircompressor (also brought by parquet-hadoop), UNCOMPRESSED.
 */
final class PlainCodecs implements CompressionCodecFactory {
    private interface Fn {
        byte[] apply(byte[] in) throws IOException;
    }

    private interface Inflate {
        byte[] apply(byte[] in, int uncompressedSize) throws IOException;
    }

    private final int zstdLevel;

    PlainCodecs(int zstdLevel) {
        this.zstdLevel = zstdLevel;
    }

    static CompressionCodecName codec(Options.ParquetCodec c) {
        return switch (c) {
            case ZSTD -> CompressionCodecName.ZSTD;
            case SNAPPY -> CompressionCodecName.SNAPPY;
            case UNCOMPRESSED -> CompressionCodecName.UNCOMPRESSED;
        };
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName name) {
        return switch (name) {
            case UNCOMPRESSED -> compressor(name, null);
            case ZSTD -> compressor(name, b -> Zstd.compress(b, zstdLevel));
            case SNAPPY -> compressor(name, Snappy::compress);
            default -> throw new IllegalArgumentException("parquet codec " + name
                    + ": only ZSTD, SNAPPY and UNCOMPRESSED are available without Hadoop");
        };
    }

    private static BytesInputCompressor compressor(CompressionCodecName name, Fn fn) {
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                return fn == null ? bytes : BytesInput.from(fn.apply(bytes.toByteArray()));
            }

            @Override
            public CompressionCodecName getCodecName() {
                return name;
            }

            @Override
            public void release() {}
        };
    }

    /** Decompressors only; the level is the compressors'. */
    static PlainCodecs forReading() {
        return new PlainCodecs(3);
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName name) {
        return switch (name) {
            case UNCOMPRESSED -> decompressor(name, null);
            case ZSTD -> decompressor(name, (in, n) -> {
                byte[] out = Zstd.decompress(in, n);
                return exact(name, out, n);
            });
            case SNAPPY -> decompressor(name, (in, n) -> exact(name, Snappy.uncompress(in), n));
            case GZIP -> decompressor(name, (in, n) -> {
                try (GZIPInputStream z = new GZIPInputStream(new ByteArrayInputStream(in))) {
                    return exact(name, z.readNBytes(n + 1), n);
                }
            });
            case LZ4_RAW -> decompressor(name, (in, n) -> {
                byte[] out = new byte[n];
                int got = new Lz4Decompressor().decompress(in, 0, in.length, out, 0, n);
                return exact(name, got == n ? out : java.util.Arrays.copyOf(out, got), n);
            });
            default -> throw new IllegalArgumentException("parquet codec " + name + ": satflow reads ZSTD, SNAPPY, "
                    + "GZIP, LZ4_RAW and UNCOMPRESSED pages without Hadoop, not " + name);
        };
    }

    /** The bytes as one array, without a copy when they are one already (pages can be hundreds of MB). */
    private static byte[] array(BytesInput bytes) throws IOException {
        ByteBuffer b = bytes.toByteBuffer();
        if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.remaining() == b.array().length) {
            return b.array();
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static byte[] exact(CompressionCodecName name, byte[] out, int expected) throws IOException {
        if (out.length != expected) {
            throw new IOException(name + " page: " + out.length + " bytes decompressed, the page header says "
                    + expected);
        }
        return out;
    }

    private static BytesInputDecompressor decompressor(CompressionCodecName name, Inflate fn) {
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                if (fn == null) {
                    return bytes;
                }
                try {
                    return BytesInput.from(fn.apply(array(bytes), uncompressedSize));
                } catch (RuntimeException e) { // zstd-jni and aircompressor throw unchecked on corrupt input
                    throw new IOException(name + " page does not decompress: " + e.getMessage(), e);
                }
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                    throws IOException {
                byte[] in = new byte[compressedSize];
                input.duplicate().get(in);
                output.put(decompress(BytesInput.from(in), uncompressedSize).toByteArray());
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public void release() {}
}
