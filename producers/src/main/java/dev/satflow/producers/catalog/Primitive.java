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
    CONE
}
