package dev.satflow.producers.render;

import dev.satflow.schema.Material;
import dev.satflow.schema.Rgb;

/**
 * What the shader needs to paint a surface. Colours are linear (the spec's sRGB colours decoded),
 * because lighting adds light linearly; the shader re-encodes to sRGB at the end.
 *
 * @param emissive fraction of the albedo emitted regardless of lights (window glass = the outside)
 */
record SurfaceMaterial(float r, float g, float b, float specular, float shininess, float emissive) {

    static SurfaceMaterial ofSrgb(double r, double g, double b, double specular, double shininess) {
        return new SurfaceMaterial(toLinear(r), toLinear(g), toLinear(b), (float) specular,
                (float) Math.max(1, shininess), 0);
    }

    static SurfaceMaterial of(Material m, SurfaceMaterial fallback) {
        if (m == null || m.getColor() == null) {
            return fallback;
        }
        Rgb c = m.getColor();
        return ofSrgb(c.getR(), c.getG(), c.getB(), m.getSpecular(), m.getShininess());
    }

    SurfaceMaterial withEmissive(double e) {
        return new SurfaceMaterial(r, g, b, specular, shininess, (float) e);
    }

    static float toLinear(double srgb) {
        double c = Math.min(1, Math.max(0, srgb));
        return (float) Math.pow(c, 2.2);
    }
}
