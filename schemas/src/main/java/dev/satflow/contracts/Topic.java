package dev.satflow.contracts;

import org.apache.kafka.common.serialization.Serde;

/** A topic with its key and value serdes and creation settings: the only way code names a topic. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, TopicSettings settings) {}
