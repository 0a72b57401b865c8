package dev.satflow.qa.questions;

import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A question that could be asked, before selection: what balancing sees of it and how to phrase it.
 *
 * @param type     question type
 * @param key      what the text reveals about it (type and named categories), or null when the
 *                 question is symmetric in its text (same category twice, left vs right shifts)
 * @param outcome  its answer as balancing counts it (e.g. "first" when the first-sorted category
 *                 is the closer one; a count; a motion kind)
 * @param identity the question apart from its phrasing and view ("left_right:3,7"): a scene asks
 *                 it once, and its keep/drop draw is a function of it alone
 * @param phrase   builds the draft (marks, template, text) with the scene's seeded generator
 */
record Candidate(String type, String key, String outcome, String identity, Function<SplittableRandom, Draft> phrase) {}
