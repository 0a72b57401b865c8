package dev.satflow.producers.generate;

import java.util.Locale;

/**
 * How scenes are generated and how their views are to be rendered.
 *
 * @param minObjects       fewest objects per scene (>= 1)
 * @param maxObjects       most objects per scene (>= minObjects, <= 64)
 * @param cameraCandidates free camera poses tried for the initial view; the one that sees most objects wins
 * @param pitchDeg         camera pitch, positive = looking down (SAT/AI2-THOR horizon 30)
 * @param fovDeg           vertical field of view
 * @param width            rendered image width in pixels
 * @param height           rendered image height in pixels
 * @param imageFormat      png | jpeg
 * @param shadows          whether the renderer draws the shadow-casting light's shadows
 * @param valFraction      share of seeds assigned to the val split
 * @param testFraction     share of seeds assigned to the test split
 */
public record GeneratorSettings(int minObjects, int maxObjects, int cameraCandidates, double pitchDeg, double fovDeg,
        int width, int height, String imageFormat, boolean shadows, double valFraction, double testFraction) {

    public static final int MAX_OBJECTS = 64;

    public GeneratorSettings {
        if (minObjects < 1 || minObjects > MAX_OBJECTS) {
            throw bad("minObjects", minObjects, "must be in [1, " + MAX_OBJECTS + "]");
        }
        if (maxObjects < minObjects || maxObjects > MAX_OBJECTS) {
            throw bad("maxObjects", maxObjects, "must be in [minObjects=" + minObjects + ", " + MAX_OBJECTS + "]");
        }
        if (cameraCandidates < 1 || cameraCandidates > 1000) {
            throw bad("cameraCandidates", cameraCandidates, "must be in [1, 1000]");
        }
        if (!(pitchDeg > -80.0001 && pitchDeg < 80.0001)) {
            throw bad("pitchDeg", pitchDeg, "must be in [-80, 80]");
        }
        if (!(fovDeg >= 10 && fovDeg <= 150)) {
            throw bad("fovDeg", fovDeg, "must be in [10, 150]");
        }
        if (width < 16 || width > 4096) {
            throw bad("width", width, "must be in [16, 4096]");
        }
        if (height < 16 || height > 4096) {
            throw bad("height", height, "must be in [16, 4096]");
        }
        if (imageFormat == null) {
            throw bad("imageFormat", null, "must be png or jpeg");
        }
        imageFormat = imageFormat.toLowerCase(Locale.ROOT);
        if (imageFormat.equals("jpg")) {
            imageFormat = "jpeg";
        }
        if (!imageFormat.equals("png") && !imageFormat.equals("jpeg")) {
            throw bad("imageFormat", "'" + imageFormat + "'", "must be png or jpeg");
        }
        if (!(valFraction >= 0 && valFraction <= 1)) {
            throw bad("valFraction", valFraction, "must be in [0, 1]");
        }
        if (!(testFraction >= 0 && testFraction <= 1)) {
            throw bad("testFraction", testFraction, "must be in [0, 1]");
        }
        if (valFraction + testFraction > 1) {
            throw bad("valFraction + testFraction", valFraction + testFraction, "must be <= 1");
        }
    }

    public static GeneratorSettings defaults() {
        return new GeneratorSettings(5, 15, 10, 30, 90, 512, 512, "png", true, 0.1, 0.1);
    }

    private static IllegalArgumentException bad(String field, Object value, String rule) {
        return new IllegalArgumentException("GeneratorSettings." + field + " = " + value + ": " + rule);
    }
}
