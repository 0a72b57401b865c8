package dev.satflow.trainer;

import java.util.Map;

/**
 * What a checkpoint records besides the parameters and {@code model.json}.
 *
 * @param step     optimiser steps taken when it was written
 * @param trainer  the optimisation settings in force
 * @param metadata free-form facts the caller wants restored on resume, e.g. consumed Kafka offsets
 */
public record CheckpointInfo(long step, TrainerConfig trainer, Map<String, String> metadata) {

    public CheckpointInfo {
        metadata = Map.copyOf(metadata);
    }
}
