package dev.satflow.producers.generate;

/**
 * What the scene generator is asked for. Validated here, so a bad setting fails when the
 * generator is made, naming the field and its value, not halfway through a run.
 *
 * @param minObjects       fewest objects per scene (>= 1)
 * @param maxObjects       most objects per scene (minObjects..{@value #MAX_OBJECTS})
 * @param cameraCandidates free poses sampled for the initial view; the one seeing most objects wins
 * @param pitchDeg         camera pitch, positive down (SAT/AI2-THOR horizon 30)
 * @param fovDeg           vertical field of view
 * @param width            rendered image width, pixels
 * @param height           rendered image height, pixels
 * @param imageFormat      png | jpeg
 * @param shadows          whether frames draw shadows
 * @param valFraction      share of seeds assigned to the val split
 * @param testFraction     share of seeds assigned to the test split
 */
public record GeneratorSettings(int minObjects, int maxObjects, int cameraCandidates, double pitchDeg, double fovDeg,
        int width, int height, String imageFormat, boolean shadows, double valFraction, double testFraction) {

    /** Beyond this a 3.5-8 m room cannot hold the objects with walking space left. */
    public static final int MAX_OBJECTS = 40;

    public GeneratorSettings {
        if (minObjects < 1) {
            throw invalid("minObjects", minObjects, "must be >= 1");
        }
        if (maxObjects < minObjects) {
            throw invalid("maxObjects", maxObjects, "must be >= minObjects (" + minObjects + ")");
        }
        if (maxObjects > MAX_OBJECTS) {
            throw invalid("maxObjects", maxObjects, "must be <= " + MAX_OBJECTS);
        }
        if (cameraCandidates < 1 || cameraCandidates > 1000) {
            throw invalid("cameraCandidates", cameraCandidates, "must be in [1, 1000]");
        }
        if (!(pitchDeg >= -80 && pitchDeg <= 80)) {
            throw invalid("pitchDeg", pitchDeg, "must be in [-80, 80]");
        }
        if (!(fovDeg >= 10 && fovDeg <= 150)) {
            throw invalid("fovDeg", fovDeg, "must be in [10, 150]");
        }
        if (width < 16 || width > 4096) {
            throw invalid("width", width, "must be in [16, 4096]");
        }
        if (height < 16 || height > 4096) {
            throw invalid("height", height, "must be in [16, 4096]");
        }
        if (!"png".equals(imageFormat) && !"jpeg".equals(imageFormat)) {
            throw invalid("imageFormat", "'" + imageFormat + "'", "must be png or jpeg");
        }
        if (!(valFraction >= 0 && valFraction <= 1)) {
            throw invalid("valFraction", valFraction, "must be in [0, 1]");
        }
        if (!(testFraction >= 0 && testFraction <= 1)) {
            throw invalid("testFraction", testFraction, "must be in [0, 1]");
        }
        if (valFraction + testFraction > 1) {
            throw invalid("valFraction + testFraction", valFraction + testFraction, "must be <= 1");
        }
    }

    /** SAT's setup: 5-15 objects, 10 candidate poses, 30 degrees down, 90 degree fov, 512x512 PNG with shadows. */
    public static GeneratorSettings defaults() {
        return new GeneratorSettings(5, 15, 10, 30, 90, 512, 512, "png", true, 0.1, 0.1);
    }

    public GeneratorSettings withObjects(int min, int max) {
        return new GeneratorSettings(min, max, cameraCandidates, pitchDeg, fovDeg, width, height, imageFormat, shadows,
                valFraction, testFraction);
    }

    public GeneratorSettings withImage(int w, int h, String format) {
        return new GeneratorSettings(minObjects, maxObjects, cameraCandidates, pitchDeg, fovDeg, w, h, format, shadows,
                valFraction, testFraction);
    }

    public GeneratorSettings withSplits(double val, double test) {
        return new GeneratorSettings(minObjects, maxObjects, cameraCandidates, pitchDeg, fovDeg, width, height,
                imageFormat, shadows, val, test);
    }

    private static IllegalArgumentException invalid(String field, Object value, String rule) {
        return new IllegalArgumentException("generator setting " + field + " = " + value + ": " + rule);
    }
}
