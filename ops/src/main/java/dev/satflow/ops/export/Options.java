package dev.satflow.ops.export;

/**
 * Settings of the export writers. Sizes are in bytes (decimal units: 500 MB = 500,000,000 B).
 *
 * @param parquetFileBytes  sat-parquet: a split starts a new file once its current one holds this much, so files
 *                          stay near this size (HF's {@code MAX_SHARD_SIZE} is 500 MB); a split that fits in one
 *                          file is {@code <split>.parquet}, otherwise {@code <split>-%05d-of-%05d.parquet}
 * @param rowGroupBytes     sat-parquet: target row-group size (HF uses 100 MB). A row group is flushed once the
 *                          next rows would take it past this, so it exceeds the target only by less than one row,
 *                          and only for a row more than twice the average size. At most 1 GiB: a row group whose
 *                          image column nears 2 GiB cannot be loaded by pyarrow / HF datasets. The heap must hold
 *                          one row group per split being written (plus ~90 MB)
 * @param pageBytes         sat-parquet: data page size
 * @param parquetCodec      sat-parquet: page compression (PNG pixels do not compress; this only changes speed)
 * @param zstdLevel         sat-parquet: ZSTD level
 * @param tarShardBytes     webdataset: a shard takes samples while the next whole sample (and the end-of-archive
 *                          blocks) still fits in this; a sample is never split, so only a shard holding one sample
 *                          larger than this exceeds it
 * @param tarShardSamples   webdataset: at most this many samples per shard (webdataset's ShardWriter uses 100,000)
 * @param overwrite         write into a directory that is not empty (files of the same names are replaced, others
 *                          are left alone); without it a non-empty directory is refused
 */
public record Options(long parquetFileBytes, long rowGroupBytes, int pageBytes, ParquetCodec parquetCodec,
        int zstdLevel, long tarShardBytes, int tarShardSamples, boolean overwrite) {

    /** Page compression of the sat-parquet files. */
    public enum ParquetCodec { ZSTD, SNAPPY, UNCOMPRESSED }

    /** Largest accepted row group. */
    public static final long MAX_ROW_GROUP_BYTES = 1L << 30;

    public Options {
        if (parquetFileBytes < 1) {
            throw new IllegalArgumentException("parquetFileBytes = " + parquetFileBytes + ": must be positive");
        }
        if (rowGroupBytes < 1 || rowGroupBytes > MAX_ROW_GROUP_BYTES) {
            throw new IllegalArgumentException("rowGroupBytes = " + rowGroupBytes + ": must be 1.."
                    + MAX_ROW_GROUP_BYTES + " (row groups near 2 GiB cannot be loaded by pyarrow / HF datasets)");
        }
        if (pageBytes < 1024) {
            throw new IllegalArgumentException("pageBytes = " + pageBytes + ": must be at least 1024");
        }
        if (parquetCodec == null) {
            throw new IllegalArgumentException("parquetCodec = null: must be one of ZSTD, SNAPPY, UNCOMPRESSED");
        }
        if (zstdLevel < 1 || zstdLevel > 22) {
            throw new IllegalArgumentException("zstdLevel = " + zstdLevel + ": must be 1..22");
        }
        if (tarShardBytes < 1) {
            throw new IllegalArgumentException("tarShardBytes = " + tarShardBytes + ": must be positive");
        }
        if (tarShardSamples < 1) {
            throw new IllegalArgumentException("tarShardSamples = " + tarShardSamples + ": must be positive");
        }
    }

    /** 500 MB Parquet files of 100 MB row groups, 1 MB pages, ZSTD level 3; 1 GB tar shards; no overwriting. */
    public static Options defaults() {
        return new Options(500_000_000L, 100_000_000L, 1 << 20, ParquetCodec.ZSTD, 3, 1_000_000_000L, 100_000, false);
    }

    public Options withParquetFileBytes(long v) {
        return new Options(v, rowGroupBytes, pageBytes, parquetCodec, zstdLevel, tarShardBytes, tarShardSamples,
                overwrite);
    }

    public Options withRowGroupBytes(long v) {
        return new Options(parquetFileBytes, v, pageBytes, parquetCodec, zstdLevel, tarShardBytes, tarShardSamples,
                overwrite);
    }

    public Options withPageBytes(int v) {
        return new Options(parquetFileBytes, rowGroupBytes, v, parquetCodec, zstdLevel, tarShardBytes,
                tarShardSamples, overwrite);
    }

    public Options withParquetCodec(ParquetCodec v) {
        return new Options(parquetFileBytes, rowGroupBytes, pageBytes, v, zstdLevel, tarShardBytes, tarShardSamples,
                overwrite);
    }

    public Options withZstdLevel(int v) {
        return new Options(parquetFileBytes, rowGroupBytes, pageBytes, parquetCodec, v, tarShardBytes,
                tarShardSamples, overwrite);
    }

    public Options withTarShardBytes(long v) {
        return new Options(parquetFileBytes, rowGroupBytes, pageBytes, parquetCodec, zstdLevel, v, tarShardSamples,
                overwrite);
    }

    public Options withTarShardSamples(int v) {
        return new Options(parquetFileBytes, rowGroupBytes, pageBytes, parquetCodec, zstdLevel, tarShardBytes, v,
                overwrite);
    }

    public Options withOverwrite(boolean v) {
        return new Options(parquetFileBytes, rowGroupBytes, pageBytes, parquetCodec, zstdLevel, tarShardBytes,
                tarShardSamples, v);
    }
}
