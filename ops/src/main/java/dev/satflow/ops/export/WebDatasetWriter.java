package dev.satflow.ops.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.satflow.schema.QaRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * WebDataset shards: {@code <split>-000000.tar}, {@code <split>-000001.tar}, ... Each question is one sample of
 * consecutive members {@code <key>.0.png}, {@code <key>.1.png} (when it has a second image), {@code <key>.json}
 * (fields in sorted order, as webdataset's TarWriter writes them). The key comes from the qa id (no dots, no
 * slashes). USTAR headers, mode 0444, owner and group {@code bigdata}, a fixed modification time, so the same
 * questions give byte-identical shards. A new shard starts before a sample that would not fit the size limit;
 * samples are never split.
 */
final class WebDatasetWriter extends BaseWriter {
    /** Modification time of every member: 2000-01-01T00:00:00Z. */
    static final long MTIME_MILLIS = 946_684_800_000L;
    private static final int RECORD = TarConstants.DEFAULT_RCDSIZE;   // 512
    private static final int BLOCK = TarConstants.DEFAULT_BLKSIZE;    // 10240

    private final class Shards {
        final String split;
        int next;
        TarArchiveOutputStream tar;
        Path file;
        long bytes;   // headers + padded contents written to the current shard
        int samples;

        Shards(String split) {
            this.split = split;
        }

        void open() throws IOException {
            file = out.file(String.format(Locale.ROOT, "%s-%06d.tar", split, next++));
            OutputStream os = OutputDir.create(file, 1 << 20);
            tar = new TarArchiveOutputStream(os, BLOCK, "US-ASCII");
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            bytes = 0;
            samples = 0;
            written.add(file);
        }

        void close() throws IOException {
            if (tar != null) {
                tar.finish();
                tar.close();
                tar = null;
            }
        }
    }

    private record Member(String name, byte[] bytes) {}

    private final Map<String, Shards> splits = new TreeMap<>();
    private final List<Path> written = new ArrayList<>();

    WebDatasetWriter(OutputDir out, Options options) {
        super(Format.WEBDATASET, out, options);
    }

    /** Size of a finished archive holding {@code entries} bytes of headers and padded contents. */
    static long archiveSize(long entries) {
        long withEnd = entries + 2L * RECORD;
        return (withEnd + BLOCK - 1) / BLOCK * BLOCK;
    }

    @Override
    void append(Prepared p) throws IOException {
        List<Member> members = new ArrayList<>();
        for (Img im : p.images()) {
            members.add(new Member(p.key() + "." + im.index() + "." + im.ext(), im.bytes()));
        }
        members.add(new Member(p.key() + ".json", json(p)));
        members.sort(Comparator.comparing(Member::name));
        long size = 0;
        for (Member m : members) {
            size += RECORD + (m.bytes().length + RECORD - 1L) / RECORD * RECORD;
        }
        Shards s = splits.computeIfAbsent(p.split(), Shards::new);
        if (s.tar != null && s.samples > 0 && (archiveSize(s.bytes + size) > options.tarShardBytes()
                || s.samples >= options.tarShardSamples())) {
            s.close();
        }
        if (s.tar == null) {
            s.open();
        }
        for (Member m : members) {
            TarArchiveEntry e = new TarArchiveEntry(m.name());
            e.setSize(m.bytes().length);
            e.setMode(0444);   // permission bits only, as GNU tar and webdataset write them
            e.setModTime(MTIME_MILLIS);
            e.setUserName("bigdata");
            e.setGroupName("bigdata");
            s.tar.putArchiveEntry(e);
            s.tar.write(m.bytes());
            s.tar.closeArchiveEntry();
        }
        s.bytes += size;
        s.samples++;
        for (Img im : p.images()) {
            images++;
            imageBytes += im.bytes().length;
        }
    }

    private static byte[] json(Prepared p) throws IOException {
        QaRecord q = p.q();
        ByteArrayOutputStream b = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JsonStream.FACTORY.createGenerator(b, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("question", q.getQuestion());
            g.writeArrayFieldStart("answers");
            for (String c : q.getChoices()) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeStringField("question_type", q.getQuestionType());
            g.writeStringField("correct_answer", q.getCorrectAnswer());
            g.writeStringField("template", q.getTemplate());
            g.writeBooleanField("held_out_phrasing", q.getHeldOutPhrasing());
            g.writeStringField("qa_id", q.getQaId());
            g.writeStringField("scene_id", q.getSceneId());
            g.writeStringField("split", q.getSplit());
            g.writeNumberField("num_images", p.images().size());
            g.writeEndObject();
        }
        return b.toByteArray();
    }

    @Override
    List<Path> complete() throws IOException {
        for (Shards s : splits.values()) {
            s.close();
        }
        return written;
    }

    @Override
    void abandon() throws IOException {
        IOException first = null;
        for (Shards s : splits.values()) {
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
