package dev.satflow.producers.catalog;

import static dev.satflow.producers.catalog.CategorySpec.Placement.AGAINST_WALL;
import static dev.satflow.producers.catalog.CategorySpec.Placement.FLOOR;
import static dev.satflow.producers.catalog.CategorySpec.Placement.ON_SURFACE;
import static dev.satflow.producers.catalog.CategorySpec.Placement.ON_WALL;
import static dev.satflow.producers.catalog.Part.MaterialSlot.ACCENT;
import static dev.satflow.producers.catalog.Part.MaterialSlot.PRIMARY;
import static dev.satflow.producers.catalog.Part.MaterialSlot.SECONDARY;

import dev.satflow.core.geom.Vec3d;
import dev.satflow.producers.catalog.CategorySpec.Placement;
import dev.satflow.producers.catalog.Part.MaterialSlot;
import java.util.ArrayList;
import java.util.List;

/**
 * The standard object models. Each part is given by its extents in the unit box (x0..x1, y0..y1,
 * z0..z1 within [-0.5, 0.5]); local -z is the object's front, +z its back (the side that goes
 * against a wall), y up. PRIMARY paints what the object's description names (upholstery, body,
 * bedding); SECONDARY is the typical second material (wooden legs, frames); ACCENT the small
 * details (handles, screens, books, foliage).
 *
 * <p>Sizes are realistic ranges in metres (width x, height y, depth z). Everything small or medium
 * that a person would push or pick up is movable; nothing that others stand on is, so moving an
 * object never leaves another floating.
 */
final class StandardModels {
    private StandardModels() {}

    static List<CategorySpec> all() {
        List<CategorySpec> c = new ArrayList<>();
        // ---- tables and other surfaces (immovable supporters) ----
        c.add(spec("table", FLOOR, false, 1.0, size(0.9, 0.72, 0.7), size(1.8, 0.78, 1.0), parts(
                b(-.5, .5, .44, .5, -.5, .5, PRIMARY),
                b(-.45, .45, .36, .44, -.42, .42, SECONDARY),
                legs(.40, .47, .39, .46, -.5, .44, SECONDARY))));
        c.add(spec("coffee table", FLOOR, false, 1.0, size(0.8, 0.38, 0.45), size(1.3, 0.48, 0.75), parts(
                b(-.5, .5, .36, .5, -.5, .5, PRIMARY),
                b(-.42, .42, -.3, -.22, -.4, .4, SECONDARY),
                legs(.42, .49, .40, .48, -.5, .36, SECONDARY))));
        c.add(spec("side table", FLOOR, false, 1.0, size(0.4, 0.5, 0.4), size(0.6, 0.7, 0.6), parts(
                b(-.5, .5, .42, .5, -.5, .5, PRIMARY),
                b(-.4, .4, -.25, -.2, -.4, .4, PRIMARY),
                legs(.38, .47, .38, .47, -.5, .42, SECONDARY))));
        c.add(spec("desk", AGAINST_WALL, false, 1.0, size(1.0, 0.72, 0.55), size(1.6, 0.78, 0.8), parts(
                b(-.5, .5, .44, .5, -.5, .5, PRIMARY),
                b(-.5, -.12, -.5, .44, -.44, .48, PRIMARY),
                b(-.47, -.15, .16, .4, -.47, -.44, SECONDARY),
                b(-.47, -.15, -.14, .12, -.47, -.44, SECONDARY),
                b(-.47, -.15, -.46, -.18, -.47, -.44, SECONDARY),
                b(-.35, -.27, .26, .3, -.5, -.47, ACCENT),
                b(-.35, -.27, -.03, .01, -.5, -.47, ACCENT),
                b(-.35, -.27, -.34, -.30, -.5, -.47, ACCENT),
                b(.42, .48, -.5, .44, -.46, -.40, SECONDARY),
                b(.42, .48, -.5, .44, .40, .46, SECONDARY),
                b(-.12, .42, -.05, .44, .42, .46, PRIMARY))));
        c.add(spec("nightstand", AGAINST_WALL, false, 1.0, size(0.4, 0.45, 0.35), size(0.55, 0.65, 0.45), parts(
                b(-.5, .5, .44, .5, -.5, .5, PRIMARY),
                b(-.48, .48, -.42, .44, -.44, .48, PRIMARY),
                b(-.44, .44, .06, .4, -.48, -.44, SECONDARY),
                b(-.44, .44, -.38, .02, -.48, -.44, SECONDARY),
                b(-.08, .08, .2, .26, -.5, -.48, ACCENT),
                b(-.08, .08, -.2, -.14, -.5, -.48, ACCENT),
                legs(.40, .48, .36, .46, -.5, -.42, SECONDARY))));
        c.add(spec("dresser", AGAINST_WALL, false, 1.0, size(0.9, 0.75, 0.42), size(1.6, 1.0, 0.55), parts(
                b(-.5, .5, .44, .5, -.5, .5, PRIMARY),
                b(-.48, .48, -.4, .44, -.44, .48, PRIMARY),
                b(-.46, .46, .16, .4, -.48, -.44, SECONDARY),
                b(-.46, .46, -.11, .13, -.48, -.44, SECONDARY),
                b(-.46, .46, -.38, -.14, -.48, -.44, SECONDARY),
                b(-.3, -.2, .26, .3, -.5, -.48, ACCENT),
                b(.2, .3, .26, .3, -.5, -.48, ACCENT),
                b(-.3, -.2, -.01, .03, -.5, -.48, ACCENT),
                b(.2, .3, -.01, .03, -.5, -.48, ACCENT),
                b(-.3, -.2, -.28, -.24, -.5, -.48, ACCENT),
                b(.2, .3, -.28, -.24, -.5, -.48, ACCENT),
                legs(.42, .48, .38, .46, -.5, -.4, SECONDARY))));
        c.add(spec("tv stand", AGAINST_WALL, false, 1.0, size(1.0, 0.4, 0.38), size(1.8, 0.6, 0.5), parts(
                b(-.5, .5, .42, .5, -.5, .5, PRIMARY),
                b(-.48, .48, -.36, .42, -.42, .48, PRIMARY),
                b(-.46, -.01, -.3, .36, -.46, -.42, SECONDARY),
                b(.01, .46, -.3, .36, -.46, -.42, SECONDARY),
                b(-.06, -.03, -.05, .15, -.5, -.46, ACCENT),
                b(.03, .06, -.05, .15, -.5, -.46, ACCENT),
                legs(.42, .48, .38, .46, -.5, -.36, SECONDARY))));
        c.add(spec("kitchen counter", AGAINST_WALL, false, 1.0, size(0.8, 0.88, 0.55), size(2.0, 0.94, 0.65),
                parts(
                        b(-.5, .5, .44, .5, -.5, .5, SECONDARY),
                        b(-.5, .5, -.42, .44, -.44, .5, PRIMARY),
                        b(-.49, .49, -.5, -.42, -.38, .5, SECONDARY),
                        b(-.48, -.01, -.38, .4, -.47, -.44, PRIMARY),
                        b(.01, .48, -.38, .4, -.47, -.44, PRIMARY),
                        b(-.08, -.04, .2, .36, -.5, -.47, ACCENT),
                        b(.04, .08, .2, .36, -.5, -.47, ACCENT))));
        c.add(spec("filing cabinet", AGAINST_WALL, false, 1.0, size(0.4, 0.7, 0.45), size(0.5, 1.35, 0.62),
                parts(
                        b(-.5, .5, -.5, .5, -.46, .5, PRIMARY),
                        b(-.46, .46, .19, .46, -.48, -.46, PRIMARY),
                        b(-.46, .46, -.13, .15, -.48, -.46, PRIMARY),
                        b(-.46, .46, -.46, -.17, -.48, -.46, PRIMARY),
                        b(-.2, .2, .33, .37, -.5, -.48, ACCENT),
                        b(-.2, .2, .01, .05, -.5, -.48, ACCENT),
                        b(-.2, .2, -.31, -.27, -.5, -.48, ACCENT))));

        // ---- seating ----
        c.add(spec("chair", FLOOR, true, 0, size(0.42, 0.8, 0.45), size(0.52, 0.98, 0.56), parts(
                b(-.5, .5, -.04, .04, -.5, .45, PRIMARY),
                b(-.48, .48, .04, .5, .42, .5, PRIMARY),
                b(-.48, -.40, -.5, -.04, -.48, -.40, SECONDARY),
                b(.40, .48, -.5, -.04, -.48, -.40, SECONDARY),
                b(-.48, -.40, -.5, -.04, .36, .44, SECONDARY),
                b(.40, .48, -.5, -.04, .36, .44, SECONDARY))));
        c.add(spec("stool", FLOOR, true, 0, size(0.32, 0.45, 0.32), size(0.42, 0.78, 0.42), parts(
                shape(Primitive.CYLINDER, -.5, .5, .40, .5, -.5, .5, PRIMARY),
                legs(.26, .34, .26, .34, -.5, .40, SECONDARY),
                b(-.3, .3, -.22, -.18, -.03, .03, SECONDARY),
                b(-.03, .03, -.22, -.18, -.3, .3, SECONDARY))));
        c.add(spec("armchair", FLOOR, true, 0, size(0.7, 0.75, 0.72), size(0.95, 1.0, 0.92), parts(
                b(-.36, .36, -.42, -.1, -.5, .3, PRIMARY),
                b(-.36, .36, -.1, 0, -.48, .3, PRIMARY),
                b(-.5, .5, -.42, .5, .3, .5, PRIMARY),
                b(-.5, -.36, -.42, .15, -.5, .3, PRIMARY),
                b(.36, .5, -.42, .15, -.5, .3, PRIMARY),
                legs(.40, .48, .38, .46, -.5, -.42, SECONDARY))));
        c.add(spec("sofa", AGAINST_WALL, false, 0, size(1.5, 0.75, 0.82), size(2.4, 0.95, 1.0), parts(
                b(-.44, .44, -.42, -.12, -.5, .28, PRIMARY),
                b(-.44, -.005, -.12, 0, -.49, .28, PRIMARY),
                b(.005, .44, -.12, 0, -.49, .28, PRIMARY),
                b(-.5, .5, -.42, .5, .28, .5, PRIMARY),
                b(-.44, -.005, 0, .36, .16, .28, PRIMARY),
                b(.005, .44, 0, .36, .16, .28, PRIMARY),
                b(-.5, -.44, -.42, .12, -.5, .28, PRIMARY),
                b(.44, .5, -.42, .12, -.5, .28, PRIMARY),
                legs(.44, .48, .40, .46, -.5, -.42, SECONDARY))));
        c.add(spec("floor cushion", FLOOR, true, 0, size(0.45, 0.18, 0.45), size(0.65, 0.3, 0.65), parts(
                shape(Primitive.CYLINDER, -.48, .48, -.5, .1, -.48, .48, PRIMARY),
                shape(Primitive.SPHERE, -.5, .5, -.3, .5, -.5, .5, PRIMARY))));

        // ---- beds and storage ----
        c.add(spec("bed", AGAINST_WALL, false, 0, size(1.0, 0.9, 1.95), size(1.8, 1.2, 2.2), parts(
                b(-.5, .5, -.4, -.15, -.5, .46, SECONDARY),
                b(-.48, .48, -.15, .08, -.48, .44, PRIMARY),
                b(-.49, .49, -.02, .1, -.49, .16, PRIMARY),
                shape(Primitive.SPHERE, -.42, -.04, .06, .2, .24, .42, PRIMARY),
                shape(Primitive.SPHERE, .04, .42, .06, .2, .24, .42, PRIMARY),
                b(-.5, .5, -.5, .5, .46, .5, SECONDARY),
                legs(.44, .5, .40, .46, -.5, -.4, SECONDARY))));
        c.add(spec("wardrobe", AGAINST_WALL, false, 0, size(0.9, 1.8, 0.55), size(1.6, 2.2, 0.65), parts(
                b(-.5, .5, -.5, -.46, -.44, .5, SECONDARY),
                b(-.5, .5, -.46, .5, -.46, .5, PRIMARY),
                b(-.49, -.005, -.44, .48, -.48, -.46, PRIMARY),
                b(.005, .49, -.44, .48, -.48, -.46, PRIMARY),
                b(-.07, -.035, -.05, .12, -.5, -.48, ACCENT),
                b(.035, .07, -.05, .12, -.5, -.48, ACCENT))));
        c.add(spec("bookshelf", AGAINST_WALL, false, 0, size(0.6, 1.1, 0.28), size(1.2, 2.0, 0.38), parts(
                b(-.5, -.46, -.5, .5, -.5, .5, PRIMARY),
                b(.46, .5, -.5, .5, -.5, .5, PRIMARY),
                b(-.46, .46, .46, .5, -.5, .5, PRIMARY),
                b(-.46, .46, -.5, -.42, -.5, .5, PRIMARY),
                b(-.46, .46, -.42, .46, .46, .5, PRIMARY),
                b(-.46, .46, -.21, -.18, -.5, .46, PRIMARY),
                b(-.46, .46, .04, .07, -.5, .46, PRIMARY),
                b(-.46, .46, .25, .28, -.5, .46, PRIMARY),
                b(-.44, -.1, -.42, -.26, -.3, .44, ACCENT),
                b(.06, .3, -.42, -.28, -.34, .44, ACCENT),
                b(-.3, .22, -.18, -.02, -.32, .44, ACCENT),
                b(-.44, -.18, .07, .22, -.3, .44, ACCENT),
                b(.08, .44, .07, .2, -.34, .44, ACCENT),
                b(-.2, .36, .28, .43, -.3, .44, ACCENT))));
        c.add(spec("fridge", AGAINST_WALL, false, 0, size(0.6, 1.6, 0.6), size(0.9, 2.0, 0.75), parts(
                b(-.5, .5, -.48, .5, -.46, .5, PRIMARY),
                b(-.49, .49, .31, .49, -.48, -.46, PRIMARY),
                b(-.49, .49, -.47, .29, -.48, -.46, PRIMARY),
                b(.36, .40, .34, .46, -.5, -.48, ACCENT),
                b(.36, .40, -.1, .24, -.5, -.48, ACCENT),
                legs(.40, .48, .38, .46, -.5, -.48, SECONDARY))));
        c.add(spec("stove", AGAINST_WALL, false, 0, size(0.55, 0.85, 0.55), size(0.9, 0.95, 0.65), parts(
                b(-.5, .5, -.5, .44, -.44, .5, PRIMARY),
                b(-.5, .5, .44, .47, -.44, .5, ACCENT),
                b(-.42, .42, -.38, .22, -.48, -.44, ACCENT),
                b(-.3, .3, .16, .19, -.5, -.48, SECONDARY),
                shape(Primitive.CYLINDER, -.4, -.1, .47, .5, -.36, -.06, SECONDARY),
                shape(Primitive.CYLINDER, .1, .4, .47, .5, -.36, -.06, SECONDARY),
                shape(Primitive.CYLINDER, -.4, -.1, .47, .5, .12, .42, SECONDARY),
                shape(Primitive.CYLINDER, .1, .4, .47, .5, .12, .42, SECONDARY),
                shape(Primitive.CYLINDER_Z, -.38, -.28, .3, .4, -.5, -.44, ACCENT),
                shape(Primitive.CYLINDER_Z, -.16, -.06, .3, .4, -.5, -.44, ACCENT),
                shape(Primitive.CYLINDER_Z, .06, .16, .3, .4, -.5, -.44, ACCENT),
                shape(Primitive.CYLINDER_Z, .28, .38, .3, .4, -.5, -.44, ACCENT))));

        // ---- bathroom ----
        c.add(spec("sink", AGAINST_WALL, false, 0, size(0.55, 0.85, 0.45), size(1.0, 1.0, 0.55), parts(
                b(-.5, .5, -.5, .3, -.44, .5, PRIMARY),
                b(-.47, -.01, -.44, .24, -.48, -.44, PRIMARY),
                b(.01, .47, -.44, .24, -.48, -.44, PRIMARY),
                b(-.5, .5, .3, .38, -.5, .5, SECONDARY),
                shape(Primitive.TUBE, -.3, .3, .24, .42, -.36, .2, ACCENT),
                shape(Primitive.CYLINDER, -.04, .04, .38, .5, .28, .36, ACCENT),
                b(-.025, .025, .45, .49, .12, .32, ACCENT))));
        c.add(spec("toilet", AGAINST_WALL, false, 0, size(0.36, 0.7, 0.62), size(0.45, 0.82, 0.75), parts(
                b(-.28, .28, -.5, -.1, -.3, .22, PRIMARY),
                shape(Primitive.TUBE, -.46, .46, -.15, .04, -.5, .24, PRIMARY),
                b(-.5, .5, -.02, .5, .24, .5, PRIMARY),
                b(-.12, .12, .5 - .02, .5, .32, .42, ACCENT))));
        c.add(spec("bathtub", AGAINST_WALL, false, 0, size(1.4, 0.5, 0.7), size(1.8, 0.62, 0.85), parts(
                b(-.5, .5, -.5, -.36, -.5, .5, PRIMARY),
                b(-.5, .5, -.36, .5, -.5, -.42, PRIMARY),
                b(-.5, .5, -.36, .5, .42, .5, PRIMARY),
                b(-.5, -.46, -.36, .5, -.42, .42, PRIMARY),
                b(.46, .5, -.36, .5, -.42, .42, PRIMARY),
                shape(Primitive.CYLINDER_Z, -.03, .03, .36, .46, .3, .42, ACCENT))));

        // ---- lamps, plants, screens ----
        c.add(spec("floor lamp", FLOOR, true, 0, size(0.3, 1.4, 0.3), size(0.5, 1.85, 0.5), parts(
                shape(Primitive.CYLINDER, -.4, .4, -.5, -.47, -.4, .4, SECONDARY),
                shape(Primitive.CYLINDER, -.04, .04, -.47, .3, -.04, .04, ACCENT),
                shape(Primitive.CYLINDER, -.5, .5, .22, .5, -.5, .5, PRIMARY))));
        c.add(spec("table lamp", ON_SURFACE, true, 0, size(0.2, 0.35, 0.2), size(0.35, 0.6, 0.35), parts(
                shape(Primitive.SPHERE, -.3, .3, -.5, -.05, -.3, .3, PRIMARY),
                shape(Primitive.CYLINDER, -.05, .05, -.1, .12, -.05, .05, ACCENT),
                shape(Primitive.CYLINDER, -.5, .5, .1, .5, -.5, .5, PRIMARY))));
        c.add(spec("houseplant", FLOOR, true, 0, size(0.3, 0.45, 0.3), size(0.65, 1.5, 0.65), parts(
                shape(Primitive.TUBE, -.32, .32, -.5, -.2, -.32, .32, PRIMARY),
                shape(Primitive.CYLINDER, -.27, .27, -.27, -.24, -.27, .27, SECONDARY),
                shape(Primitive.CYLINDER, -.04, .04, -.25, 0, -.04, .04, SECONDARY),
                shape(Primitive.SPHERE, -.42, .42, -.1, .5, -.42, .42, ACCENT),
                shape(Primitive.SPHERE, -.5, .02, -.2, .25, -.3, .3, ACCENT),
                shape(Primitive.SPHERE, -.02, .5, -.15, .3, -.35, .25, ACCENT))));
        c.add(spec("television", ON_SURFACE, false, 0, size(0.8, 0.5, 0.2), size(1.4, 0.9, 0.3), parts(
                b(-.2, .2, -.5, -.46, -.5, .5, SECONDARY),
                b(-.04, .04, -.46, -.3, -.1, .1, SECONDARY),
                b(-.5, .5, -.32, .5, -.15, .15, SECONDARY),
                b(-.47, .47, -.29, .47, -.2, -.15, PRIMARY))));
        c.add(spec("laptop", ON_SURFACE, true, 0, size(0.3, 0.2, 0.22), size(0.4, 0.26, 0.28), parts(
                b(-.5, .5, -.5, -.42, -.5, .4, PRIMARY),
                b(-.42, .42, -.42, -.4, -.3, .3, ACCENT),
                b(-.5, .5, -.42, .5, .4, .48, PRIMARY),
                b(-.45, .45, -.35, .45, .38, .4, ACCENT))));
        c.add(spec("speaker", ON_SURFACE, true, 0, size(0.15, 0.25, 0.15), size(0.25, 0.4, 0.22), parts(
                b(-.5, .5, -.5, .5, -.42, .5, PRIMARY),
                shape(Primitive.CYLINDER_Z, -.38, .38, -.42, .06, -.5, -.42, ACCENT),
                shape(Primitive.CYLINDER_Z, -.18, .18, .16, .4, -.5, -.42, ACCENT))));

        // ---- kitchen things ----
        c.add(spec("microwave", ON_SURFACE, true, 0, size(0.45, 0.26, 0.34), size(0.6, 0.35, 0.45), parts(
                b(-.5, .5, -.46, .5, -.45, .5, PRIMARY),
                b(-.45, .2, -.35, .38, -.5, -.45, ACCENT),
                b(.25, .45, -.35, .38, -.48, -.45, SECONDARY),
                legs(.40, .46, .38, .44, -.5, -.46, SECONDARY))));
        c.add(spec("toaster", ON_SURFACE, true, 0, size(0.25, 0.18, 0.15), size(0.35, 0.22, 0.22), parts(
                b(-.45, .45, -.5, .42, -.5, .5, PRIMARY),
                b(-.35, .35, .42, .46, -.3, -.1, ACCENT),
                b(-.35, .35, .42, .46, .1, .3, ACCENT),
                b(.45, .5, -.05, .1, -.1, .1, ACCENT))));
        c.add(spec("kettle", ON_SURFACE, true, 0, size(0.2, 0.22, 0.15), size(0.28, 0.3, 0.2), parts(
                shape(Primitive.CYLINDER, -.42, .27, -.5, -.45, -.34, .34, SECONDARY),
                shape(Primitive.CYLINDER, -.4, .25, -.45, .3, -.32, .32, PRIMARY),
                shape(Primitive.CYLINDER, -.22, .08, .3, .37, -.16, .16, SECONDARY),
                shape(Primitive.SPHERE, -.1, -.04, .36, .42, -.03, .03, ACCENT),
                b(-.5, -.36, -.1, .15, -.05, .05, PRIMARY),
                b(.34, .44, -.3, .4, -.06, .06, ACCENT),
                b(.1, .44, .32, .42, -.06, .06, ACCENT),
                b(.2, .44, -.3, -.2, -.06, .06, ACCENT))));
        c.add(spec("mug", ON_SURFACE, true, 0, size(0.11, 0.09, 0.08), size(0.14, 0.12, 0.1), parts(
                shape(Primitive.TUBE, -.5, .22, -.5, .5, -.5, .5, PRIMARY),
                b(.38, .48, -.25, .25, -.07, .07, PRIMARY),
                b(.2, .48, .15, .27, -.07, .07, PRIMARY),
                b(.2, .48, -.27, -.15, -.07, .07, PRIMARY))));
        c.add(spec("bowl", ON_SURFACE, true, 0, size(0.14, 0.06, 0.14), size(0.26, 0.1, 0.26), parts(
                shape(Primitive.CYLINDER, -.3, .3, -.5, -.38, -.3, .3, PRIMARY),
                shape(Primitive.TUBE, -.5, .5, -.4, .5, -.5, .5, PRIMARY))));
        c.add(spec("bottle", ON_SURFACE, true, 0, size(0.06, 0.2, 0.06), size(0.1, 0.33, 0.1), parts(
                shape(Primitive.CYLINDER, -.5, .5, -.5, .12, -.5, .5, PRIMARY),
                shape(Primitive.CONE, -.5, .5, .12, .36, -.5, .5, PRIMARY),
                shape(Primitive.CYLINDER, -.17, .17, .25, .43, -.17, .17, PRIMARY),
                shape(Primitive.CYLINDER, -.2, .2, .43, .5, -.2, .2, ACCENT))));
        c.add(spec("vase", ON_SURFACE, true, 0, size(0.1, 0.2, 0.1), size(0.22, 0.4, 0.22), parts(
                shape(Primitive.SPHERE, -.5, .5, -.5, .2, -.5, .5, PRIMARY),
                shape(Primitive.TUBE, -.28, .28, .05, .5, -.28, .28, PRIMARY))));
        c.add(spec("book", ON_SURFACE, true, 0, size(0.13, 0.02, 0.18), size(0.22, 0.06, 0.3), parts(
                b(-.5, .5, -.5, -.36, -.5, .5, PRIMARY),
                b(-.5, .5, .36, .5, -.5, .5, PRIMARY),
                b(-.5, -.42, -.36, .36, -.5, .5, PRIMARY),
                b(-.42, .48, -.36, .36, -.47, .47, ACCENT))));

        // ---- floor odds and ends ----
        c.add(spec("trash bin", FLOOR, true, 0, size(0.24, 0.3, 0.24), size(0.36, 0.6, 0.36), parts(
                shape(Primitive.TUBE, -.5, .5, -.48, .5, -.5, .5, PRIMARY),
                shape(Primitive.CYLINDER, -.46, .46, -.5, -.48, -.46, .46, SECONDARY))));
        c.add(spec("laundry basket", FLOOR, true, 0, size(0.4, 0.35, 0.3), size(0.6, 0.6, 0.45), parts(
                shape(Primitive.TUBE, -.5, .5, -.5, .5, -.5, .5, PRIMARY),
                b(-.5, -.4, .32, .42, -.15, .15, ACCENT),
                b(.4, .5, .32, .42, -.15, .15, ACCENT))));
        c.add(spec("cardboard box", FLOOR, true, 0, size(0.3, 0.22, 0.25), size(0.65, 0.5, 0.5), parts(
                b(-.5, .5, -.5, .48, -.5, .5, PRIMARY),
                b(-.5, .5, .48, .5, -.07, .07, ACCENT),
                b(-.5, .5, -.005, .48, -.5, -.49, SECONDARY))));
        c.add(spec("coat rack", FLOOR, true, 0, size(0.4, 1.6, 0.4), size(0.6, 1.85, 0.6), parts(
                shape(Primitive.CYLINDER, -.45, .45, -.5, -.47, -.45, .45, PRIMARY),
                shape(Primitive.CYLINDER, -.06, .06, -.47, .45, -.06, .06, PRIMARY),
                shape(Primitive.SPHERE, -.1, .1, .42, .5, -.1, .1, PRIMARY),
                b(-.4, -.06, .3, .34, -.03, .03, ACCENT),
                b(.06, .4, .3, .34, -.03, .03, ACCENT),
                b(-.03, .03, .3, .34, -.4, -.06, ACCENT),
                b(-.03, .03, .3, .34, .06, .4, ACCENT),
                b(.08, .32, -.12, .33, -.2, .2, SECONDARY))));
        c.add(spec("rug", FLOOR, false, 0, size(1.2, 0.01, 0.8), size(3.0, 0.02, 2.2), parts(
                b(-.5, .5, -.5, .3, -.5, .5, SECONDARY),
                b(-.44, .44, -.5, .5, -.42, .42, PRIMARY))));

        // ---- on the walls ----
        c.add(spec("painting", ON_WALL, false, 0, size(0.4, 0.3, 0.03), size(1.2, 0.9, 0.05), parts(
                b(-.5, -.44, -.5, .5, -.5, .5, SECONDARY),
                b(.44, .5, -.5, .5, -.5, .5, SECONDARY),
                b(-.44, .44, .42, .5, -.5, .5, SECONDARY),
                b(-.44, .44, -.5, -.42, -.5, .5, SECONDARY),
                b(-.44, .44, -.42, .42, -.3, .5, PRIMARY),
                b(-.3, .1, -.25, .2, -.36, -.3, ACCENT))));
        c.add(spec("mirror", ON_WALL, false, 0, size(0.4, 0.5, 0.03), size(0.9, 1.1, 0.04), parts(
                b(-.5, -.44, -.5, .5, -.5, .5, PRIMARY),
                b(.44, .5, -.5, .5, -.5, .5, PRIMARY),
                b(-.44, .44, .44, .5, -.5, .5, PRIMARY),
                b(-.44, .44, -.5, -.44, -.5, .5, PRIMARY),
                b(-.44, .44, -.44, .44, -.3, .5, ACCENT))));
        c.add(spec("clock", ON_WALL, false, 0, size(0.25, 0.25, 0.04), size(0.45, 0.45, 0.06), parts(
                shape(Primitive.CYLINDER_Z, -.5, .5, -.5, .5, -.3, .5, SECONDARY),
                shape(Primitive.CYLINDER_Z, -.44, .44, -.44, .44, -.45, .3, PRIMARY),
                b(-.025, .025, -.02, .26, -.5, -.45, ACCENT),
                b(-.02, .36, -.02, .02, -.5, -.45, ACCENT))));
        return List.copyOf(c);
    }

    private static CategorySpec spec(String name, Placement placement, boolean movable, double surfaceHeight,
            Vec3d min, Vec3d max, List<Part> parts) {
        return new CategorySpec(name, parts, min, max, placement, movable, surfaceHeight);
    }

    private static Vec3d size(double x, double y, double z) {
        return new Vec3d(x, y, z);
    }

    /** Flattens single parts and groups (legs) into one list. */
    private static List<Part> parts(Object... items) {
        List<Part> out = new ArrayList<>();
        for (Object o : items) {
            if (o instanceof Part p) {
                out.add(p);
            } else if (o instanceof List<?> l) {
                for (Object p : l) {
                    out.add((Part) p);
                }
            } else {
                throw new IllegalArgumentException("not a part: " + o);
            }
        }
        return List.copyOf(out);
    }

    /** A box part from its extents in the unit box. */
    private static Part b(double x0, double x1, double y0, double y1, double z0, double z1, MaterialSlot slot) {
        return shape(Primitive.BOX, x0, x1, y0, y1, z0, z1, slot);
    }

    private static Part shape(Primitive p, double x0, double x1, double y0, double y1, double z0, double z1,
            MaterialSlot slot) {
        if (x0 >= x1 || y0 >= y1 || z0 >= z1 || x0 < -.5 || x1 > .5 || y0 < -.5 || y1 > .5 || z0 < -.5 || z1 > .5) {
            throw new IllegalArgumentException("part extents outside the unit box or empty: " + x0 + ".." + x1 + ", "
                    + y0 + ".." + y1 + ", " + z0 + ".." + z1);
        }
        return Part.of(p, (x0 + x1) / 2, (y0 + y1) / 2, (z0 + z1) / 2, x1 - x0, y1 - y0, z1 - z0, slot);
    }

    /** Four square legs, one near each corner: |x| in [in, out], |z| in [inZ, outZ], heights y0..y1. */
    private static List<Part> legs(double in, double out, double inZ, double outZ, double y0, double y1,
            MaterialSlot slot) {
        List<Part> l = new ArrayList<>();
        for (int sx = -1; sx <= 1; sx += 2) {
            for (int sz = -1; sz <= 1; sz += 2) {
                double x0 = sx < 0 ? -out : in;
                double x1 = sx < 0 ? -in : out;
                double z0 = sz < 0 ? -outZ : inZ;
                double z1 = sz < 0 ? -inZ : outZ;
                l.add(shape(Primitive.BOX, x0, x1, y0, y1, z0, z1, slot));
            }
        }
        return l;
    }
}
