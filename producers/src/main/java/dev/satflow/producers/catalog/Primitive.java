package dev.satflow.producers.catalog;

/** The solids every object model is built from; each spans the unit cube [-0.5, 0.5]^3 before scaling. */
public enum Primitive {
    /** Axis-aligned box filling the unit cube. */
    BOX,
    /** Cylinder along y, radius 0.5, height 1. */
    CYLINDER,
    /** Sphere of radius 0.5 (an ellipsoid after non-uniform scaling). */
    SPHERE,
    /** Cone along y, base radius 0.5 at y = -0.5, apex at y = 0.5. */
    CONE,
    /**
     * Open-topped hollow cylinder along y (cups, bowls, bins, pots): outer radius 0.5, wall
     * {@value #TUBE_WALL} thick, closed bottom {@value #TUBE_WALL} thick.
     */
    TUBE,
    /** Cylinder along z (faces front and back): clock faces, speaker cones, knobs; radius 0.5, depth 1. */
    CYLINDER_Z;

    /** Wall and bottom thickness of {@link #TUBE}, in unit-box units. */
    public static final double TUBE_WALL = 0.08;
}
