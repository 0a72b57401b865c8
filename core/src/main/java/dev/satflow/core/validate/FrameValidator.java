package dev.satflow.core.validate;

import dev.satflow.core.frames.ImageFormat;
import dev.satflow.schema.Frame;
import dev.satflow.schema.ObjectAnnotation;

/** The contract of satflow.frames.v1 records as the QA processor needs them. */
public final class FrameValidator {
    private FrameValidator() {}

    public static Frame validate(Frame f) {
        ContractViolation.requireValue(f, "a frame");
        if (f.getSceneId().isBlank()) {
            throw new ContractViolation("sceneId", "''", "must not be empty");
        }
        if (f.getViewId().isBlank()) {
            throw new ContractViolation("viewId", "''", "must not be empty");
        }
        if (f.getViewCount() < 1) {
            throw new ContractViolation("viewCount", f.getViewCount(), "must be >= 1");
        }
        if (!f.getImage().hasRemaining()) {
            throw new ContractViolation("image", "0 bytes", "must hold an encoded image");
        }
        // caught here, at the first consumer, rather than by every trainer and evaluator that later reads it
        // (the leading bytes tell the format: no copy of a large image)
        int length = f.getImage().remaining();
        byte[] head = new byte[Math.min(8, length)];
        f.getImage().duplicate().get(head);
        if (ImageFormat.sniff(head) == null) {
            throw new ContractViolation("image", length + " bytes starting "
                    + java.util.HexFormat.ofDelimiter(" ").formatHex(head), "not a PNG or JPEG image");
        }
        SceneSpecValidator.finite("camera.position", f.getCamera().getPosition());
        for (int i = 0; i < f.getObjects().size(); i++) {
            ObjectAnnotation a = f.getObjects().get(i);
            SceneSpecValidator.finite("objects[" + i + "].meanDepth", a.getMeanDepth());
            SceneSpecValidator.finite("objects[" + i + "].visibleFraction", a.getVisibleFraction());
            if (a.getVisiblePixels() < 0) {
                throw new ContractViolation("objects[" + i + "].visiblePixels", a.getVisiblePixels(), "must be >= 0");
            }
        }
        return f;
    }
}
