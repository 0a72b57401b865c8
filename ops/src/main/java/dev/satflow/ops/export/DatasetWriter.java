package dev.satflow.ops.export;

import dev.satflow.core.frames.QuestionImages;
import dev.satflow.schema.QaRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a stream of questions, already resolved to their images, as files in one {@link Format} under one
 * directory. Open with {@link DatasetWriters#open(Format, Path, Options)}; call {@link #write} per question,
 * {@link #finish()} once at the end, then optionally {@link #writeManifest(Manifest.Builder)}.
 *
 * <p>Questions may come in any order of splits; each split goes to its own files, in arrival order. The same
 * questions in the same order give byte-identical files. Not thread-safe.
 *
 * <p>Every name taken from record content (split, scene id, qa id, view id) is sanitised to letters, digits and
 * {@code ._-}, and every path is checked to stay inside the directory; a record whose ids would leave it (a
 * {@code ..} element, a separator in a scene id or split, an empty id) is refused with an
 * {@link IllegalArgumentException} naming the field and value, before anything of it is written.
 */
public interface DatasetWriter extends AutoCloseable {
    /** The format written. */
    Format format();

    /** The export directory (absolute, normalised). */
    Path dir();

    /**
     * Writes one question with its images (in order: {@code images.get(0)} is the question's first image). The
     * images' {@link QuestionImages.Image#png()} (the frame with the question's marks drawn) is what is stored;
     * a JPEG frame shown without marks stays a JPEG (stored as {@code .jpg}).
     *
     * <p>A question whose qaId was already written is skipped (counted in
     * {@link Summary#duplicatesSkipped()}).
     *
     * @throws IllegalArgumentException naming the field and value when the record is unusable (an id that
     *                                  would leave the directory or maps to the same file name as another
     *                                  question's, no images, no choices, a correct index out of range or a
     *                                  correct answer that is not {@code choices[correctIndex]}, an image that
     *                                  is neither PNG nor JPEG, a bad mark); nothing of the record is written
     *                                  and the writer stays usable
     * @throws IOException              when writing fails; the writer is then unusable
     * @throws IllegalStateException    after {@link #finish()}, {@link #close()} or an earlier IOException
     */
    void write(QaRecord q, List<QuestionImages.Image> images) throws IOException;

    /**
     * Completes every file (Parquet footers, JSON arrays, tar end-of-archive blocks; final names for Parquet
     * shards) and reports what was written. Call once.
     */
    Summary finish() throws IOException;

    /**
     * After {@link #finish()}: adds the summary to the manifest and saves it as {@code DIR/manifest.json}.
     *
     * @return the manifest file
     * @throws IllegalStateException before {@link #finish()}
     */
    Path writeManifest(Manifest.Builder manifest) throws IOException;

    /**
     * Releases the files. After {@link #finish()} this does nothing more; without it the export is abandoned:
     * open files are closed as they are (possibly incomplete; Parquet parts keep their {@code .partial} names)
     * and no manifest is written.
     */
    @Override
    void close() throws IOException;
}
