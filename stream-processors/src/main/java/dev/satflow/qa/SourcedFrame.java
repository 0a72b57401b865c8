package dev.satflow.qa;

import dev.satflow.schema.Frame;

/** A frame with the topic coordinates it was read from, for the lineage of the questions built on it. */
public record SourcedFrame(Frame frame, String topic, int partition, long offset) {}
