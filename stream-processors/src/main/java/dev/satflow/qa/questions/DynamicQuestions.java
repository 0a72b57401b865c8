package dev.satflow.qa.questions;

import static dev.satflow.qa.questions.QuestionTypes.ACTION_CONSEQUENCE;
import static dev.satflow.qa.questions.QuestionTypes.CAMERA_TRANSLATION;
import static dev.satflow.qa.questions.QuestionTypes.EGO_MOVEMENT;
import static dev.satflow.qa.questions.QuestionTypes.GOAL_AIM;
import static dev.satflow.qa.questions.QuestionTypes.OBJECT_MOVEMENT;
import static dev.satflow.qa.questions.QuestionTypes.PERSPECTIVE;

import dev.satflow.core.geom.Camera;
import dev.satflow.core.geom.EgoMotions;
import dev.satflow.core.geom.Vec3d;
import dev.satflow.core.geom.Yaw;
import dev.satflow.qa.questions.SceneViews.ViewData;
import dev.satflow.schema.CameraPose;
import dev.satflow.schema.EgoMotion;
import dev.satflow.schema.Episode;
import dev.satflow.schema.Mark;
import dev.satflow.schema.ObjectMove;
import dev.satflow.schema.ObjectPlacement;
import dev.satflow.schema.Probe;
import dev.satflow.schema.SceneObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Questions about motion (SAT §1.2): of the camera, of an object, and imagined ones (goal aim,
 * action consequence, perspective). Each answer is computed from the episode's recorded action and
 * asked only when the rendered views' poses agree with it (a second path), with margins.
 *
 * <p>No answer is guessable from the words: motion kinds are drawn with equal odds by the
 * generator; every distractor is drawn so that each option is right half the time it is offered
 * ("look straight", "did not move", "no objects moved" included); imagined actions are asked in
 * contrasting pairs on the same image and action (one object gets closer, another further away),
 * so the text of the two differs only in the object named; and those are balanced per category of
 * the object named (big furniture by the far wall tends to get closer when you walk into the
 * room), like static pairs. Named objects carry a numbered mark.
 */
final class DynamicQuestions {
    /** Tolerances for "the rendered pose is the one the action gives". */
    private static final double POSE_TOLERANCE_M = 0.01;
    private static final double YAW_TOLERANCE_DEG = 0.5;
    /** Every answer ego movement can have; each distractor is one of the others, drawn evenly. */
    static final List<String> EGO_ANSWERS = List.of("did not move", "moved forward", "rotated left", "rotated right",
            "rotated left and moved forward", "rotated right and moved forward");
    /**
     * Odds that a moved object's distractor is "no objects moved": with nothing moved in a third of
     * the episodes (the generator's odds), "no objects moved" is then right half the times it is offered.
     */
    private static final double NO_MOVE_DISTRACTOR = 0.5;
    /** Odds that a yes/no object-movement question names the moved object (so yes and no balance). */
    private static final double PROBE_MOVED = 0.75;
    /** Odds that a turn's distractor is "look straight" (straight being a third of the answers). */
    private static final double STRAIGHT_DISTRACTOR = 0.5;
    /** Widest bearing a goal-aim answer has in practice (half the horizontal field of view). */
    private static final int WIDEST_AIM_DEG = 45;

    private final SceneViews scene;
    private final QuestionSettings s;
    private final Selection selection;

    DynamicQuestions(SceneViews scene, QuestionSettings settings, Selection selection) {
        this.scene = scene;
        this.s = settings;
        this.selection = selection;
    }

    List<Draft> all(Episode e, SplittableRandom rnd) {
        int n = s.perTypePerEpisode();
        List<Candidate> chosen = new ArrayList<>();
        switch (e.getKind()) {
            case "ego_motion" -> {
                chosen.addAll(selection.take(egoMovement(e), 1));
                chosen.addAll(selection.contrast(actionDistance(e, rnd)));
            }
            case "camera_translation" -> chosen.addAll(selection.take(cameraTranslation(e), 1));
            case "object_displacement" -> chosen.addAll(selection.take(objectMovement(e, rnd), 1));
            case "perspective" -> chosen.addAll(perspective(e, rnd));
            case "static" -> {
                chosen.addAll(selection.take(goalAim(e, rnd), n));
                chosen.addAll(selection.contrast(facing(e, rnd)));
            }
            default -> { } // unknown kinds are the validator's business; nothing to ask
        }
        List<Draft> out = selection.phrase(chosen, rnd);
        out.forEach(d -> d.episode(e.getEpisodeId()));
        return out;
    }

    /** How a dynamic question names an object, and the numbered mark that points at it. */
    private record Named(String name, Mark mark, int objectId, String number) {
        Draft on(Draft d, SceneViews scene) {
            return d.mark(mark).subject(scene, objectId, number);
        }
    }

    /**
     * A numbered dot on the object in image {@code image}; a box with the number when no dot fits.
     * The words are the same either way: a box is drawn for objects too small for a dot, and "in the
     * box" would tell a question-only model that the object is small, so likely far.
     */
    private Named named(ViewData v, int image, int id, String number) {
        Mark dot = Marking.dot(v, id, number, image);
        Mark mark = dot != null ? dot : Marking.box(v, id, 0, number, image);
        return new Named(Text.the(scene.describe(id)) + " (near the mark " + number + " in the image)", mark, id, number);
    }

    private String category(int id) {
        return scene.objects.get(id).getCategory();
    }

    private String split() {
        return scene.spec.getSplit();
    }

    // ---- ego motion -------------------------------------------------------------------------

    /** The action in words, or null when it is too small to name. */
    String egoAnswer(double rotateDeg, double forwardM) {
        boolean turned = Math.abs(rotateDeg) >= s.straightDeg();
        boolean moved = forwardM >= s.moveMarginM();
        boolean tiny = (rotateDeg != 0 && !turned) || (forwardM != 0 && !moved);
        if (tiny) {
            return null;
        }
        String rot = rotateDeg < 0 ? "rotated left" : "rotated right";
        if (turned && moved) {
            return rot + " and moved forward";
        }
        if (turned) {
            return rot;
        }
        return moved ? "moved forward" : "did not move";
    }

    List<Candidate> egoMovement(Episode e) {
        EgoMotion m = e.getEgo();
        ViewData from = scene.view(e.getFromView());
        ViewData to = scene.view(e.getToView());
        if (m == null || !poseMatches(EgoMotions.apply(from.view.getCamera(), m), to.view.getCamera())) {
            return List.of();
        }
        // second path: read the motion back from the two rendered poses
        double dyaw = Yaw.wrap(to.camera.yawDeg() - from.camera.yawDeg());
        double moved = from.camera.position().horizontalDistance(to.camera.position());
        String answer = egoAnswer(m.getRotateDeg(), m.getForwardM());
        if (answer == null || !answer.equals(egoAnswer(dyaw, moved))) {
            return List.of();
        }
        return List.of(new Candidate(EGO_MOVEMENT, EGO_MOVEMENT, answer, EGO_MOVEMENT + ":" + e.getEpisodeId(), r -> {
            // drawn from a list whose sides follow the answer's, so a mirrored scene draws the mirrored distractor
            List<String> others = new ArrayList<>(answer.contains("right")
                    ? EGO_ANSWERS.stream().map(Text::swapSides).toList() : EGO_ANSWERS);
            others.remove(answer);
            String distractor = others.get(r.nextInt(others.size()));
            Draft d = new Draft(EGO_MOVEMENT, Phrasings.egoMovement(Phrasings.pick(Phrasings.EGO_MOVEMENT, split(),
                    false, r), answer, distractor, r));
            d.show(from);
            d.show(to);
            return d.fact("rotate_deg", m.getRotateDeg()).fact("forward_m", m.getForwardM())
                    .fact("pose_dyaw_deg", dyaw).fact("pose_moved_m", moved);
        }));
    }

    List<Candidate> cameraTranslation(Episode e) {
        EgoMotion m = e.getEgo();
        ViewData from = scene.view(e.getFromView());
        ViewData to = scene.view(e.getToView());
        if (m == null || !poseMatches(EgoMotions.apply(from.view.getCamera(), m), to.view.getCamera())) {
            return List.of();
        }
        // lateral shift in the first camera's frame, from the rendered poses; the action must agree
        double lateral = from.camera.toEgo(to.camera.position()).x();
        double predicted = m.getForwardM() * Math.sin(Math.toRadians(m.getRotateDeg()));
        if (Math.abs(lateral) < s.moveMarginM() || Math.signum(lateral) != Math.signum(predicted)) {
            return List.of();
        }
        boolean left = lateral < 0;
        return List.of(new Candidate(CAMERA_TRANSLATION, null, left ? "left" : "right",
                CAMERA_TRANSLATION + ":" + e.getEpisodeId(), r -> {
                    Draft d = new Draft(CAMERA_TRANSLATION, Phrasings.cameraTranslation(
                            Phrasings.pick(Phrasings.CAMERA_TRANSLATION, split(), false, r), left, r));
                    d.show(from);
                    d.show(to);
                    return d.fact("lateral_m", lateral).fact("rotate_deg", m.getRotateDeg())
                            .fact("forward_m", m.getForwardM()).fact("counter_rotate_deg", m.getCounterRotateDeg());
                }));
    }

    /** "If I turn right by 40 degrees and then move forward 0.3 metres, will X be closer to me or further away?" */
    List<Candidate> actionDistance(Episode e, SplittableRandom rnd) {
        EgoMotion m = e.getEgo();
        ViewData from = scene.view(e.getFromView());
        ViewData to = scene.view(e.getToView());
        if (m == null || m.getForwardM() < s.moveMarginM()
                || !poseMatches(EgoMotions.apply(from.view.getCamera(), m), to.view.getCamera())) {
            return List.of();
        }
        String action = actionText(m);
        Vec3d p0 = from.camera.position();
        Vec3d p1 = to.camera.position();
        List<Candidate> out = new ArrayList<>();
        List<Integer> ids = new ArrayList<>(Salience.salient(from, s));
        Salience.shuffle(ids, rnd);
        for (int id : ids) {
            Vec3d o = from.position(id);
            double before = o.horizontalDistance(p0);
            double after = o.horizontalDistance(p1);
            if (Math.abs(after - before) < s.moveMarginM()) {
                continue;
            }
            boolean closer = after < before;
            out.add(new Candidate(ACTION_CONSEQUENCE, ACTION_CONSEQUENCE + "|distance|" + category(id),
                    closer ? "first" : "second", ACTION_CONSEQUENCE + ":" + e.getEpisodeId() + ":" + id, r -> {
                        Named x = named(from, 0, id, "1");
                        Draft d = new Draft(ACTION_CONSEQUENCE, Phrasings.actionDistance(
                                Phrasings.pick(Phrasings.ACTION_DISTANCE, split(), false, r), action, x.name(), closer, r));
                        d.show(from);
                        d.consult(to);
                        return x.on(d, scene).fact("distance_before_m", before).fact("distance_after_m", after);
                    }));
        }
        return out;
    }

    static String actionText(EgoMotion m) {
        double r = m.getRotateDeg();
        String turn = r == 0 ? "" : String.format(Locale.ROOT, "turn %s by %d degrees", r < 0 ? "left" : "right",
                Math.round(Math.abs(r)));
        String move = String.format(Locale.ROOT, "move forward %.1f metres", m.getForwardM());
        return turn.isEmpty() ? move : turn + " and then " + move;
    }

    // ---- imagined turns from the first view --------------------------------------------------

    /** Bearing of an object from a view's heading, degrees; negative = to the left. */
    private static double bearing(ViewData v, int id) {
        Vec3d ego = v.ego(id);
        return Math.toDegrees(Math.atan2(ego.x(), ego.z()));
    }

    static String turnText(boolean right, long degrees) {
        return String.format(Locale.ROOT, "turn %s by %d degrees", right ? "right" : "left", degrees);
    }

    List<Candidate> goalAim(Episode e, SplittableRandom rnd) {
        ViewData v = scene.view(e.getFromView());
        List<Candidate> out = new ArrayList<>();
        int narrowest = (int) Math.ceil(s.straightDeg() + s.angleMarginDeg());
        // a wrong turn offered against "look straight" takes the angle of another object in view, so
        // made-up angles are spread like real ones (a uniform draw would tell them apart)
        List<Long> realTurns = new ArrayList<>();
        for (int id : Salience.salient(v, s)) {
            double abs = Math.abs(bearing(v, id));
            if (abs > narrowest) {
                realTurns.add(Math.round(abs));
            }
        }
        for (int id : Salience.salient(v, s)) {
            double a = bearing(v, id);
            double abs = Math.abs(a);
            if (Math.abs(abs - s.straightDeg()) < s.angleMarginDeg()) {
                continue;
            }
            boolean straight = abs <= s.straightDeg();
            if (!straight) {
                // the picture must show the object on the same side (a second path)
                double u = v.annotation(id).getCentroidX() - v.width / 2.0;
                if (Math.abs(u) < s.imageMarginFraction() * v.width || Math.signum(u) != Math.signum(a)) {
                    continue;
                }
            }
            String outcome = straight ? "straight" : "turn";
            out.add(new Candidate(GOAL_AIM, GOAL_AIM, outcome, GOAL_AIM + ":" + id, r -> {
                String answer;
                String distractor;
                if (straight) {
                    answer = "look straight";
                    long angle = realTurns.isEmpty() ? narrowest + r.nextInt(WIDEST_AIM_DEG - narrowest + 1)
                            : realTurns.get(r.nextInt(realTurns.size()));
                    distractor = turnText(r.nextBoolean(), angle);
                } else {
                    answer = turnText(a > 0, Math.round(abs));
                    distractor = r.nextDouble() < STRAIGHT_DISTRACTOR ? "look straight" : turnText(a < 0, Math.round(abs));
                }
                Named x = named(v, 0, id, "1");
                Draft d = new Draft(GOAL_AIM, Phrasings.goalAim(Phrasings.pick(Phrasings.GOAL_AIM, split(), false, r),
                        x.name(), answer, distractor, r));
                d.show(v);
                return x.on(d, scene).fact("bearing_deg", a);
            }));
        }
        Salience.shuffle(out, rnd);
        return out;
    }

    /**
     * "If I turn left by 120 degrees, will X be in front of me or behind me?" (SAT's 'facing away',
     * made exact). The turn is one for which some salient objects end up in front and others behind,
     * so the pair asked differs only in the object.
     */
    List<Candidate> facing(Episode e, SplittableRandom rnd) {
        ViewData v = scene.view(e.getFromView());
        List<Integer> ids = Salience.salient(v, s);
        List<int[]> turns = new ArrayList<>(); // {right ? 1 : 0, degrees}
        for (int right = 0; right < 2; right++) {
            for (int turn = 60; turn <= 150; turn += 10) {
                boolean front = false;
                boolean behind = false;
                for (int id : ids) {
                    double after = Yaw.wrap(bearing(v, id) - (right == 1 ? turn : -turn));
                    if (Math.abs(Math.abs(after) - 90) >= s.straightDeg()) {
                        front |= Math.abs(after) < 90;
                        behind |= Math.abs(after) > 90;
                    }
                }
                if (front && behind) {
                    turns.add(new int[] {right, turn});
                }
            }
        }
        if (turns.isEmpty()) {
            return List.of();
        }
        int[] pick = turns.get(rnd.nextInt(turns.size()));
        boolean right = pick[0] == 1;
        int turn = pick[1];
        String turnText = turnText(right, turn);
        List<Candidate> out = new ArrayList<>();
        for (int id : ids) {
            double before = bearing(v, id);
            double after = Yaw.wrap(before - (right ? turn : -turn));
            if (Math.abs(Math.abs(after) - 90) < s.straightDeg()) {
                continue;
            }
            boolean inFront = Math.abs(after) < 90;
            out.add(new Candidate(ACTION_CONSEQUENCE, ACTION_CONSEQUENCE + "|facing|" + category(id),
                    inFront ? "first" : "second", ACTION_CONSEQUENCE + ":facing:" + id, r -> {
                        Named x = named(v, 0, id, "1");
                        Draft d = new Draft(ACTION_CONSEQUENCE, Phrasings.actionFacing(
                                Phrasings.pick(Phrasings.ACTION_FACING, split(), false, r), turnText, x.name(), inFront, r));
                        d.show(v);
                        return x.on(d, scene).fact("bearing_deg", before).fact("bearing_after_deg", after);
                    }));
        }
        Salience.shuffle(out, rnd);
        return out;
    }

    // ---- object displacement ----------------------------------------------------------------

    List<Candidate> objectMovement(Episode e, SplittableRandom rnd) {
        ViewData from = scene.view(e.getFromView());
        ViewData to = scene.view(e.getToView());
        ObjectMove mv = e.getObjectMove();
        List<Integer> movable = Salience.salient(from, s).stream()
                .filter(id -> scene.objects.get(id).getMovable() && Salience.salient(to, s).contains(id)).toList();
        String identity = OBJECT_MOVEMENT + ":" + e.getEpisodeId();
        boolean none = mv == null || (mv.getDx() == 0 && mv.getDz() == 0);
        if (none) {
            if (!to.view.getPlacements().isEmpty() || movable.isEmpty()) {
                return List.of(); // the view says something moved, the episode says not: ask nothing
            }
            int id = movable.get(rnd.nextInt(movable.size()));
            return List.of(new Candidate(OBJECT_MOVEMENT, OBJECT_MOVEMENT, "none", identity, r -> {
                String distractor = moveSentence(id, fakeMove(r));
                Draft d = new Draft(OBJECT_MOVEMENT, Phrasings.objectMovement(
                        Phrasings.pick(Phrasings.OBJECT_MOVEMENT, split(), false, r), "no objects moved", distractor,
                        Text.the(scene.describe(id)), false, r));
                d.show(from);
                d.show(to);
                d.subject(scene, id, "subject");
                return d.fact("moved_object", "none");
            }));
        }
        int id = mv.getObjectId();
        SceneObject o = scene.objects.get(id);
        ObjectPlacement placed = to.view.getPlacements().stream().filter(p -> p.getObjectId() == id).findFirst()
                .orElse(null);
        if (o == null || placed == null) {
            return List.of();
        }
        Vec3d before = Vec3d.of(o.getPosition());
        Vec3d after = Vec3d.of(placed.getPosition());
        // second path: the rendered placement is the recorded displacement
        if (Math.abs(after.x() - before.x() - mv.getDx()) > POSE_TOLERANCE_M
                || Math.abs(after.z() - before.z() - mv.getDz()) > POSE_TOLERANCE_M) {
            return List.of();
        }
        if (!Salience.salient(from, s).contains(id) || to.visiblePixels(id) == 0) {
            return List.of();
        }
        double dx = from.camera.toEgo(after).x() - from.camera.toEgo(before).x();
        Vec3d cam = from.camera.position();
        double dd = after.horizontalDistance(cam) - before.horizontalDistance(cam);
        List<String> parts = new ArrayList<>();
        List<String> flipped = new ArrayList<>();
        if (Math.abs(dx) >= s.moveMarginM()) {
            parts.add(dx < 0 ? "left" : "right");
            flipped.add(dx < 0 ? "right" : "left");
        }
        if (Math.abs(dd) >= s.moveMarginM()) {
            parts.add(dd < 0 ? "towards the camera" : "away from the camera");
            flipped.add(dd < 0 ? "away from the camera" : "towards the camera");
        }
        if (parts.isEmpty()) {
            return List.of();
        }
        List<Integer> others = movable.stream().filter(i -> i != id).toList();
        // balanced by direction: a move towards the camera is rarer (it leaves the view), and would
        // otherwise make "towards" a distractor more often than an answer
        String direction = Math.abs(dd) >= s.moveMarginM() ? (dd < 0 ? "towards" : "away") : "side";
        return List.of(new Candidate(OBJECT_MOVEMENT, OBJECT_MOVEMENT, direction, identity, r -> {
            String answer = moveSentence(id, parts);
            String distractor = r.nextDouble() < NO_MOVE_DISTRACTOR ? "no objects moved" : moveSentence(id, flipped);
            int probe = others.isEmpty() || r.nextDouble() < PROBE_MOVED ? id : others.get(r.nextInt(others.size()));
            Draft d = new Draft(OBJECT_MOVEMENT, Phrasings.objectMovement(
                    Phrasings.pick(Phrasings.OBJECT_MOVEMENT, split(), false, r), answer, distractor,
                    Text.the(scene.describe(probe)), probe == id, r));
            d.show(from);
            d.show(to);
            d.subject(scene, id, "subject");
            if (probe != id) {
                d.subject(scene, probe, "probe");
            }
            return d.fact("moved_object", String.valueOf(id)).fact("dx_world_m", mv.getDx())
                    .fact("dz_world_m", mv.getDz()).fact("dx_ego_m", dx).fact("d_distance_m", dd);
        }));
    }

    private String moveSentence(int id, List<String> parts) {
        return Text.capitalise(Text.the(scene.describe(id))) + " was moved " + String.join(" and ", parts);
    }

    /** A displacement in words drawn like real ones: mostly along one camera axis, sometimes both. */
    private static List<String> fakeMove(SplittableRandom r) {
        String side = r.nextBoolean() ? "left" : "right";
        String depth = r.nextBoolean() ? "towards the camera" : "away from the camera";
        if (r.nextDouble() < 0.15) {
            return List.of(side, depth);
        }
        return List.of(r.nextBoolean() ? side : depth);
    }

    // ---- perspective ------------------------------------------------------------------------

    /**
     * Standing at the 'X' and turned 90 degrees: is an object to my left or right, and is it closer
     * than from here. One contrasting pair per episode, of one of the two kinds.
     */
    List<Candidate> perspective(Episode e, SplittableRandom rnd) {
        Probe p = e.getProbe();
        if (p == null || p.getProbeView() == null) {
            return List.of();
        }
        ViewData from = scene.view(e.getFromView());
        ViewData probe = scene.view(p.getProbeView());
        CameraPose expected = CameraPose.newBuilder(from.view.getCamera())
                .setPosition(new Vec3d(p.getPoint().getX(), from.camera.position().y(), p.getPoint().getZ()).toAvro())
                .setYawDeg((float) Yaw.wrap(from.camera.yawDeg() + p.getTurnDeg())).build();
        if (!poseMatches(expected, probe.view.getCamera())) {
            return List.of();
        }
        Camera.Pixel mark = from.camera.project(Vec3d.of(p.getPoint()));
        if (mark == null || !mark.insideImage(from.width, from.height)) {
            return List.of();
        }
        String turn = p.getTurnDeg() < 0 ? "left" : "right";
        List<Candidate> sides = new ArrayList<>();
        List<Candidate> distances = new ArrayList<>();
        String episode = e.getEpisodeId();
        for (int id : Salience.salient(from, s)) {
            Vec3d o = from.position(id);
            double x0 = from.ego(id).x();
            double x1 = probe.ego(id).x();
            double b1 = bearing(probe, id);
            boolean clear = Math.abs(x1) >= s.lateralMarginM() && Math.abs(b1) >= s.straightDeg()
                    && Math.abs(Math.abs(b1) - 180) >= s.straightDeg() && Math.abs(x0) >= s.lateralMarginM();
            // second path: where the probe view shows the object, it shows it on the same side
            if (clear && probe.visiblePixels(id) > 0) {
                double u = probe.annotation(id).getCentroidX() - probe.width / 2.0;
                clear = Math.abs(u) >= s.imageMarginFraction() * probe.width && Math.signum(u) == Math.signum(x1);
            }
            if (clear) {
                boolean left = x1 < 0;
                // outcome relative to the turn (ends up on the side turned to, or the other), so a mirrored
                // scene has the same key and outcome: far objects tend to end up opposite the turn
                boolean with = left == turn.equals("left");
                sides.add(new Candidate(PERSPECTIVE, PERSPECTIVE + "|side|" + category(id), with ? "first" : "second",
                        PERSPECTIVE + ":side:" + episode + ":" + id, r -> {
                            Named y = named(from, 0, id, "1");
                            Draft d = new Draft(PERSPECTIVE, Phrasings.perspectiveSide(
                                    Phrasings.pick(Phrasings.PERSPECTIVE_SIDE, split(), false, r), turn, y.name(), left, r));
                            d.show(from);
                            d.mark(Marking.cross(from.width, mark.u(), mark.v(), 0)).consult(probe);
                            return y.on(d, scene).fact("x_ego_now_m", x0).fact("x_ego_there_m", x1)
                                    .fact("bearing_there_deg", b1).fact("mark_u_px", mark.u()).fact("mark_v_px", mark.v())
                                    .fact("flipped", String.valueOf(Math.signum(x0) != Math.signum(x1)));
                        }));
            }
            double now = o.horizontalDistance(from.camera.position());
            double there = o.horizontalDistance(Vec3d.of(p.getPoint()));
            if (Math.abs(there - now) >= s.perspectiveDistanceM()) {
                boolean closer = there < now;
                distances.add(new Candidate(PERSPECTIVE, PERSPECTIVE + "|distance|" + category(id),
                        closer ? "first" : "second", PERSPECTIVE + ":distance:" + episode + ":" + id, r -> {
                            Named y = named(from, 0, id, "1");
                            Draft d = new Draft(PERSPECTIVE, Phrasings.perspectiveDistance(
                                    Phrasings.pick(Phrasings.PERSPECTIVE_DISTANCE, split(), false, r), y.name(), closer, r));
                            d.show(from);
                            d.mark(Marking.cross(from.width, mark.u(), mark.v(), 0)).consult(probe);
                            return y.on(d, scene).fact("distance_now_m", now).fact("distance_there_m", there)
                                    .fact("mark_u_px", mark.u()).fact("mark_v_px", mark.v());
                        }));
            }
        }
        Salience.shuffle(sides, rnd);
        Salience.shuffle(distances, rnd);
        boolean sideFirst = rnd.nextBoolean();
        List<Candidate> pair = selection.contrast(sideFirst ? sides : distances);
        return pair.isEmpty() ? selection.contrast(sideFirst ? distances : sides) : pair;
    }

    private static boolean poseMatches(CameraPose expected, CameraPose rendered) {
        Vec3d a = Vec3d.of(expected.getPosition());
        Vec3d b = Vec3d.of(rendered.getPosition());
        return a.distance(b) <= POSE_TOLERANCE_M
                && Math.abs(Yaw.wrap(expected.getYawDeg() - rendered.getYawDeg())) <= YAW_TOLERANCE_DEG
                && Math.abs(expected.getPitchDeg() - rendered.getPitchDeg()) <= YAW_TOLERANCE_DEG;
    }
}
