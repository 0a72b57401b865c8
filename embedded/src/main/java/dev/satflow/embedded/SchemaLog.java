package dev.satflow.embedded;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Where the registry keeps its history: records in Confluent's {@code _schemas} layout (a JSON key
 * naming the record kind, a JSON value). Replaying the log rebuilds the registry's state.
 */
public interface SchemaLog extends AutoCloseable {

    /** A key/value pair as stored; value null is a tombstone. */
    record Entry(ObjectNode key, ObjectNode value) {}

    /** Appends durably; returns only once the entry is stored. */
    void append(Entry entry);

    /** Every entry stored so far, oldest first. */
    List<Entry> replay();

    @Override
    default void close() {}

    /** Keeps the log in memory: for tests and throwaway stacks. */
    static SchemaLog inMemory() {
        return new SchemaLog() {
            private final List<Entry> entries = new java.util.ArrayList<>();

            @Override
            public synchronized void append(Entry entry) {
                entries.add(entry);
            }

            @Override
            public synchronized List<Entry> replay() {
                return List.copyOf(entries);
            }
        };
    }
}
