package dev.satflow.contracts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro values in the Confluent wire format: magic byte 0, the 4-byte big-endian schema id, then the
 * plain binary body. Subjects follow TopicNameStrategy ({@code <topic>-value}). Readers resolve the
 * writer's schema (fetched by id) against the generated class's schema, so evolved data decodes.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    private static final byte MAGIC = 0;

    private final Class<T> type;
    private final Schema readerSchema;
    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final Map<String, Integer> idPerTopic = new ConcurrentHashMap<>();
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private final SpecificDatumWriter<T> writer;

    public AvroSerde(Class<T> type, SchemaRegistryClient registry, boolean autoRegister) {
        this.type = type;
        this.readerSchema = SpecificData.get().getSchema(type);
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.writer = new SpecificDatumWriter<>(readerSchema);
    }

    public Class<T> type() {
        return type;
    }

    public Schema schema() {
        return readerSchema;
    }

    /** The schema id this serde writes with on the given topic (registering when allowed). */
    public int schemaId(String topic) {
        return idPerTopic.computeIfAbsent(topic, t -> {
            String subject = t + "-value";
            if (autoRegister) {
                return registry.register(subject, readerSchema);
            }
            return registry.lookup(subject, readerSchema)
                    .orElseThrow(() -> new SerializationException("schema of " + type.getSimpleName()
                            + " is not registered under subject " + subject + " and auto-registration is off"))
                    .id();
        });
    }

    public byte[] serialize(String topic, T value) {
        if (value == null) {
            return null;
        }
        int id = schemaId(topic);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MAGIC);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        try {
            BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(value, enc);
            enc.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName() + " for topic " + topic
                    + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < 5 || bytes[0] != MAGIC) {
            throw new SerializationException("not Confluent-framed Avro: " + (bytes.length < 5
                    ? bytes.length + " bytes" : String.format("magic byte 0x%02x", bytes[0]))
                    + " on topic " + topic);
        }
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        DatumReader<T> reader;
        try {
            reader = readers.computeIfAbsent(id,
                    i -> new SpecificDatumReader<>(registry.schemaById(i), readerSchema));
        } catch (RegistryException e) {
            throw new SerializationException("unknown schema id " + id + " on topic " + topic + ": "
                    + e.getMessage(), e);
        }
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + " (schema id " + id
                    + ") on topic " + topic + ": " + e, e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this::serialize;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::deserialize;
    }
}
