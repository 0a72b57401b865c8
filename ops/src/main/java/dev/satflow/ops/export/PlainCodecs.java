package dev.satflow.ops.export;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Page compressors for parquet-java that need no Hadoop (its stock factory loads Hadoop codec classes even for
 * UNCOMPRESSED): ZSTD through zstd-jni, SNAPPY through snappy-java, both of which parquet-hadoop brings. Write
 * only.
 */
final class PlainCodecs implements CompressionCodecFactory {
    private interface Fn {
        byte[] apply(byte[] in) throws IOException;
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

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName name) {
        throw new UnsupportedOperationException("satflow's parquet codecs only compress (asked to decompress " + name
                + ")");
    }

    @Override
    public void release() {}
}
