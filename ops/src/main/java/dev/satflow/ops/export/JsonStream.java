package dev.satflow.ops.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One streamed JSON file of entries, one entry per line: either a JSON array ({@code [\n{..},\n{..}\n]\n}) or
 * JSON lines ({@code {..}\n{..}\n}). O(1) memory however many entries.
 */
final class JsonStream {
    static final JsonFactory FACTORY = new JsonFactoryBuilder().rootValueSeparator((String) null)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private final Path file;
    private final OutputStream os;
    private final JsonGenerator g;
    private final boolean array;
    private long entries;

    JsonStream(Path file, boolean array) throws IOException {
        this.file = file;
        this.array = array;
        this.os = OutputDir.create(file, 1 << 16);
        this.g = FACTORY.createGenerator(os, JsonEncoding.UTF8);
        if (array) {
            os.write('[');
        }
    }

    Path file() {
        return file;
    }

    /** The generator, positioned for the next entry (write exactly one object). */
    JsonGenerator next() throws IOException {
        g.flush();
        if (array) {
            os.write((entries == 0 ? "\n" : ",\n").getBytes(StandardCharsets.US_ASCII));
        } else if (entries > 0) {
            os.write('\n');
        }
        entries++;
        return g;
    }

    void finish() throws IOException {
        g.flush();
        if (array) {
            os.write((entries == 0 ? "]\n" : "\n]\n").getBytes(StandardCharsets.US_ASCII));
        } else if (entries > 0) {
            os.write('\n');
        }
        g.close();
        os.close();
    }

    void abandon() throws IOException {
        try {
            g.close();
        } finally {
            os.close();
        }
    }
}
