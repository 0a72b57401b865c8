package dev.satflow.ops.export;

import java.io.IOException;
import java.nio.file.Path;

/** Opens the {@link DatasetWriter} of a {@link Format}. */
public final class DatasetWriters {
    private DatasetWriters() {}

    /**
     * A writer of {@code format} into {@code dir} (created when missing).
     *
     * @throws IllegalArgumentException when {@code dir} is not empty and {@link Options#overwrite()} is off, or is
     *                                  not a directory
     */
    public static DatasetWriter open(Format format, Path dir, Options options) throws IOException {
        OutputDir out = OutputDir.open(dir, options.overwrite());
        return switch (format) {
            case SAT_PARQUET -> new SatParquetWriter(out, options);
            case LLAVA -> new LlavaWriter(out, options);
            case WEBDATASET -> new WebDatasetWriter(out, options);
            case JSONL -> new JsonlWriter(out, options);
        };
    }
}
