package dev.satflow.qa;

import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import java.util.List;

/** Turns one complete scene (its spec and every rendered view) into question records; must be pure. */
@FunctionalInterface
public interface QuestionDeriver {
    List<QaRecord> derive(SceneSpec spec, List<SourcedFrame> frames);
}
