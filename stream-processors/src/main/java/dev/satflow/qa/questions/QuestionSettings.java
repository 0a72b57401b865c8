package dev.satflow.qa.questions;

/**
 * Thresholds of the question templates. SAT applied no margins (sat.md §7); every comparison here
 * has one, so no answer rests on a difference the picture cannot show.
 *
 * @param minBoxFraction     an object is asked about when its visible 2D box covers at least this share
 *                           of the image (SAT: 2500 px² at 512², about 0.0095)
 * @param minVisibleFraction ... and at least this share of it is unoccluded
 * @param minSeparationM     objects compared must be this far apart (SAT: 0.5 m)
 * @param depthMarginM       relative depth: distances to the camera differ by at least this (and 10 %)
 * @param lateralMarginM     left/right: egocentric x' differs by at least this
 * @param imageMarginFraction image positions (centroids) must differ by this share of the image side
 * @param heightMarginM      height and above/below: centres differ by at least this (above/below also
 *                           needs the picture to agree, by imageMarginFraction)
 * @param distanceMarginRatio relative distance: the two distances differ by at least this share
 * @param straightDeg        goal aim: within this bearing the answer is "look straight" (SAT: 10)
 * @param angleMarginDeg     no question within this many degrees of a band edge
 * @param moveMarginM        object movement and action consequence: a displacement component or
 *                           distance change must be at least this to be named
 * @param perspectiveDistanceM perspective closer/further: distance change of at least this (SAT: 0.5)
 * @param perTypePerView     most questions of one static type from one view
 * @param perTypePerEpisode  most questions of one dynamic type from one episode
 */
public record QuestionSettings(double minBoxFraction, double minVisibleFraction, double minSeparationM,
        double depthMarginM, double lateralMarginM, double imageMarginFraction, double heightMarginM,
        double distanceMarginRatio, double straightDeg, double angleMarginDeg, double moveMarginM,
        double perspectiveDistanceM, int perTypePerView, int perTypePerEpisode) {

    public QuestionSettings {
        require("minBoxFraction", minBoxFraction, 0, 1);
        require("minVisibleFraction", minVisibleFraction, 0, 1);
        require("minSeparationM", minSeparationM, 0, 100);
        require("depthMarginM", depthMarginM, 0, 100);
        require("lateralMarginM", lateralMarginM, 0, 100);
        require("imageMarginFraction", imageMarginFraction, 0, 0.5);
        require("heightMarginM", heightMarginM, 0, 100);
        require("distanceMarginRatio", distanceMarginRatio, 0, 1);
        require("straightDeg", straightDeg, 0, 90);
        require("angleMarginDeg", angleMarginDeg, 0, 45);
        require("moveMarginM", moveMarginM, 0, 10);
        require("perspectiveDistanceM", perspectiveDistanceM, 0, 100);
        if (perTypePerView < 0 || perTypePerEpisode < 0) {
            throw new IllegalArgumentException("perTypePerView = " + perTypePerView + ", perTypePerEpisode = "
                    + perTypePerEpisode + ": must be >= 0");
        }
    }

    public static QuestionSettings defaults() {
        return new QuestionSettings(2500.0 / (512 * 512), 0.3, 0.5, 0.3, 0.2, 0.04, 0.15, 0.15, 10, 3, 0.1, 0.5, 2,
                2);
    }

    /** The same thresholds with other caps (the answer-prior census takes every candidate). */
    public QuestionSettings withCaps(int perView, int perEpisode) {
        return new QuestionSettings(minBoxFraction, minVisibleFraction, minSeparationM, depthMarginM, lateralMarginM,
                imageMarginFraction, heightMarginM, distanceMarginRatio, straightDeg, angleMarginDeg, moveMarginM,
                perspectiveDistanceM, perView, perEpisode);
    }

    private static void require(String field, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException("question setting " + field + " = " + v + ": must be in [" + lo + ", "
                    + hi + "]");
        }
    }
}
