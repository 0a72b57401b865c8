package dev.satflow.ops.export;

import dev.satflow.schema.QaRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HF {@code array/SAT} Parquet: exactly its five columns, in pyarrow's 3-level list form with optional fields
 * ({@code image_bytes list<binary>}, {@code question string}, {@code answers list<string>} (the choices in record
 * order), {@code question_type string}, {@code correct_answer string}); one file per split, {@code <split>.parquet},
 * or {@code <split>-00000-of-000NN.parquet} shards when a split outgrows {@link Options#parquetFileBytes()}.
 * Row groups hold at most {@link Options#rowGroupBytes()} decoded bytes (one row larger than that is a row group
 * of its own). Written by parquet-java without Hadoop ({@link SatParquetFile}, {@link PlainCodecs}). While a split
 * is written its current file is {@code <split>-NNNNN.parquet.partial}; {@link #finish()} renames.
 */
final class SatParquetWriter extends BaseWriter {
    private final class SplitFiles {
        final String split;
        final List<Path> parts = new ArrayList<>();
        SatParquetFile writer;

        SplitFiles(String split) {
            this.split = split;
        }

        void open() throws IOException {
            Path part = out.file(String.format(Locale.ROOT, "%s-%05d.parquet.partial", split, parts.size()));
            parts.add(part);
            writer = new SatParquetFile(part, options);
        }

        void close() throws IOException {
            if (writer != null) {
                SatParquetFile w = writer;
                writer = null;
                w.close();
            }
        }
    }

    private final Map<String, SplitFiles> splits = new TreeMap<>();

    SatParquetWriter(OutputDir out, Options options) {
        super(Format.SAT_PARQUET, out, options);
    }

    @Override
    void append(Prepared p) throws IOException {
        QaRecord q = p.q();
        List<byte[]> imgs = new ArrayList<>(p.images().size());
        for (Img im : p.images()) {
            imgs.add(im.bytes());
        }
        SatParquetFile.Row row = new SatParquetFile.Row(imgs, q.getQuestion(), q.getChoices(), q.getQuestionType(),
                q.getCorrectAnswer());
        SplitFiles s = splits.computeIfAbsent(p.split(), SplitFiles::new);
        if (s.writer != null && s.writer.rows() > 0 && s.writer.size() + row.bytes() > options.parquetFileBytes()) {
            s.close();
        }
        if (s.writer == null) {
            s.open();
        }
        s.writer.write(row);
        for (byte[] b : imgs) {
            images++;
            imageBytes += b.length;
        }
    }

    @Override
    List<Path> complete() throws IOException {
        List<Path> files = new ArrayList<>();
        for (SplitFiles s : splits.values()) {
            s.close();
            int n = s.parts.size();
            for (int i = 0; i < n; i++) {
                String name = n == 1 ? s.split + ".parquet"
                        : String.format(Locale.ROOT, "%s-%05d-of-%05d.parquet", s.split, i, n);
                Path target = out.file(name);
                Files.move(s.parts.get(i), target, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
                files.add(target);
            }
        }
        return files;
    }

    @Override
    void abandon() throws IOException {
        IOException first = null;
        for (SplitFiles s : splits.values()) {
            try {
                s.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
