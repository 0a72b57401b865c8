package dev.satflow.ops.tap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Avro values as JSON, built by walking the schema and writing with a streaming generator: bytes
 * are described, never written ({@code "<png 512x512, 81234 bytes>"}, {@code "<9 bytes>"}), unions
 * are written as their value (no Avro type wrapper), and nothing is parsed back, so a record of any
 * size costs one pass and a stack as deep as its schema nesting.
 */
public final class AvroJson {
    /** Non-ASCII is escaped, so lines come out the same whatever the console's charset. */
    private static final JsonFactory JSON = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private AvroJson() {}

    /** The value alone, e.g. for tests and tools. */
    public static String toJson(IndexedRecord record) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = generator(w)) {
            write(g, record.getSchema(), record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    static JsonGenerator generator(StringWriter w) throws IOException {
        return JSON.createGenerator(w);
    }

    /** Writes {@code value} as {@code schema} says; a value that does not fit its schema throws. */
    static void write(JsonGenerator g, Schema schema, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
            return;
        }
        switch (schema.getType()) {
            case RECORD -> {
                IndexedRecord r = (IndexedRecord) value;
                Schema actual = r.getSchema();
                g.writeStartObject();
                for (Schema.Field f : actual.getFields()) {
                    g.writeFieldName(f.name());
                    write(g, f.schema(), r.get(f.pos()));
                }
                g.writeEndObject();
            }
            case UNION -> write(g, schema.getTypes().get(SpecificData.get().resolveUnion(schema, value)), value);
            case ARRAY -> {
                g.writeStartArray();
                for (Object e : (Collection<?>) value) {
                    write(g, schema.getElementType(), e);
                }
                g.writeEndArray();
            }
            case MAP -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    write(g, schema.getValueType(), e.getValue());
                }
                g.writeEndObject();
            }
            case BYTES -> g.writeString(describe(value instanceof ByteBuffer b ? b : ByteBuffer.wrap((byte[]) value)));
            case FIXED -> g.writeString(describe(ByteBuffer.wrap(((GenericFixed) value).bytes())));
            case INT -> {
                if (value instanceof Integer i) {
                    g.writeNumber(i);
                } else {
                    g.writeString(value.toString()); // a logical type's Java value (date, time)
                }
            }
            case LONG -> {
                if (value instanceof Long l) {
                    g.writeNumber(l);
                } else {
                    g.writeString(value.toString());
                }
            }
            case FLOAT -> g.writeNumber((Float) value); // NaN and infinities come out as strings
            case DOUBLE -> g.writeNumber((Double) value);
            case BOOLEAN -> g.writeBoolean((Boolean) value);
            case STRING, ENUM -> g.writeString(value.toString());
            case NULL -> g.writeNull();
        }
    }

    /** What a person wants to know of a bytes field: that it is there, how big, and for a PNG its size. */
    static String describe(ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate();
        int n = b.remaining();
        int at = b.position();
        if (n >= 24 && startsWith(b, at, PNG) && b.get(at + 12) == 'I' && b.get(at + 13) == 'H'
                && b.get(at + 14) == 'D' && b.get(at + 15) == 'R') {
            return "<png " + Integer.toUnsignedString(b.getInt(at + 16)) + "x" + Integer.toUnsignedString(b.getInt(at + 20))
                    + ", " + n + " bytes>";
        }
        if (n >= 3 && (b.get(at) & 0xff) == 0xff && (b.get(at + 1) & 0xff) == 0xd8 && (b.get(at + 2) & 0xff) == 0xff) {
            return "<jpeg, " + n + " bytes>";
        }
        return "<" + n + " bytes>";
    }

    private static boolean startsWith(ByteBuffer b, int at, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b.get(at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
