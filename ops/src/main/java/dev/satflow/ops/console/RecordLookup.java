package dev.satflow.ops.console;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Records by coordinates: {@link RecordReader} over Kafka, or a map in tests. */
interface RecordLookup {
    /** The record at the offset and any neighbours after it that came along; empty when none is there. */
    List<ConsumerRecord<String, byte[]>> readAt(String topic, int partition, long offset);
}
