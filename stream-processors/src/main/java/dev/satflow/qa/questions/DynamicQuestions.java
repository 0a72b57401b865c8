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
 */
final class DynamicQuestions {
    /** Tolerances for "the rendered pose is the one the action gives". */
    private static final double POSE_TOLERANCE_M = 0.01;
    private static final double YAW_TOLERANCE_DEG = 0.5;

    private final SceneViews scene;
    private final QuestionSettings s;

    DynamicQuestions(SceneViews scene, QuestionSettings settings) {
        this.scene = scene;
        this.s = settings;
    }

    List<Draft> all(Episode e, SplittableRandom rnd) {
        int n = s.perTypePerEpisode();
        List<Draft> out = new ArrayList<>();
        switch (e.getKind()) {
            case "ego_motion" -> {
                out.addAll(Salience.take(egoMovement(e, rnd), n, rnd));
                out.addAll(Salience.take(actionDistance(e, rnd), n, rnd));
            }
            case "camera_translation" -> out.addAll(Salience.take(cameraTranslation(e), n, rnd));
            case "object_displacement" -> out.addAll(Salience.take(objectMovement(e, rnd), n, rnd));
            case "perspective" -> out.addAll(Salience.take(perspective(e, rnd), n, rnd));
            case "static" -> {
                out.addAll(Salience.take(goalAim(e, rnd), n, rnd));
                out.addAll(Salience.take(facing(e, rnd), n, rnd));
            }
            default -> { } // unknown kinds are the validator's business; nothing to ask
        }
        return out;
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

    List<Draft> egoMovement(Episode e, SplittableRandom rnd) {
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
        String distractor;
        if (answer.equals("did not move")) {
            distractor = List.of("rotated left", "rotated right", "rotated left and moved forward",
                    "rotated right and moved forward").get(rnd.nextInt(4));
        } else if (rnd.nextDouble() < 0.3) {
            distractor = "did not move";
        } else if (answer.equals("moved forward")) {
            distractor = rnd.nextBoolean() ? "rotated left and moved forward" : "rotated right and moved forward";
        } else {
            distractor = answer.contains("left") ? answer.replace("left", "right") : answer.replace("right", "left");
        }
        String q = "The first image is from the beginning of the video and the second image is from the end."
                + " How did the camera likely move when shooting the video?";
        return List.of(new Draft(EGO_MOVEMENT, q, answer, List.of(distractor)).show(from).show(to).episode(e.getEpisodeId())
                .fact("rotate_deg", m.getRotateDeg()).fact("forward_m", m.getForwardM()).fact("pose_dyaw_deg", dyaw)
                .fact("pose_moved_m", moved));
    }

    List<Draft> cameraTranslation(Episode e) {
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
        String answer = lateral < 0 ? "moved left" : "moved right";
        String q = "The first image is from the beginning of the video and the second image is from the end."
                + " Did the camera move left or right when shooting the video?";
        return List.of(new Draft(CAMERA_TRANSLATION, q, answer,
                List.of(answer.equals("moved left") ? "moved right" : "moved left")).show(from).show(to)
                .episode(e.getEpisodeId()).fact("lateral_m", lateral).fact("rotate_deg", m.getRotateDeg())
                .fact("forward_m", m.getForwardM()).fact("counter_rotate_deg", m.getCounterRotateDeg()));
    }

    /** "If I turn right by 40 degrees and then move forward 0.3 metres, will X be closer to me or further away?" */
    List<Draft> actionDistance(Episode e, SplittableRandom rnd) {
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
        List<Draft> out = new ArrayList<>();
        List<Integer> ids = new ArrayList<>(Salience.salient(from, s));
        Salience.shuffle(ids, rnd);
        for (int id : ids) {
            Vec3d o = from.position(id);
            double delta = o.horizontalDistance(p1) - o.horizontalDistance(p0);
            if (Math.abs(delta) < s.moveMarginM()) {
                continue;
            }
            String answer = delta < 0 ? "closer" : "further away";
            String q = "If I " + action + ", will " + Text.the(scene.describe(id)) + " be closer to me or further away?";
            out.add(new Draft(ACTION_CONSEQUENCE, q, answer, List.of(Text.opposite(answer))).show(from)
                    .consult(to).episode(e.getEpisodeId()).fact("distance_before_m", o.horizontalDistance(p0))
                    .fact("distance_after_m", o.horizontalDistance(p1)));
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

    List<Draft> goalAim(Episode e, SplittableRandom rnd) {
        ViewData v = scene.view(e.getFromView());
        List<Draft> out = new ArrayList<>();
        for (int id : Salience.salient(v, s)) {
            double a = bearing(v, id);
            double abs = Math.abs(a);
            if (Math.abs(abs - s.straightDeg()) < s.angleMarginDeg()) {
                continue;
            }
            String answer;
            String distractor;
            if (abs <= s.straightDeg()) {
                answer = "look straight";
                distractor = String.format(Locale.ROOT, "turn %s by %d degrees", rnd.nextBoolean() ? "left" : "right",
                        30 + 10 * rnd.nextInt(3));
            } else {
                // the picture must show the object on the same side (a second path)
                double u = v.annotation(id).getCentroidX() - v.width / 2.0;
                if (Math.abs(u) < s.imageMarginFraction() * v.width || Math.signum(u) != Math.signum(a)) {
                    continue;
                }
                String side = a < 0 ? "left" : "right";
                answer = String.format(Locale.ROOT, "turn %s by %d degrees", side, Math.round(abs));
                distractor = String.format(Locale.ROOT, "turn %s by %d degrees", Text.opposite(side), Math.round(abs));
            }
            String q = "I need to go to " + Text.the(scene.describe(id)) + ". Which direction should I turn to face it?";
            out.add(new Draft(GOAL_AIM, q, answer, List.of(distractor)).show(v).episode(e.getEpisodeId())
                    .fact("bearing_deg", a));
        }
        Salience.shuffle(out, rnd);
        return out;
    }

    /** "If I turn left by 120 degrees, will X be in front of me or behind me?" (SAT's 'facing away', made exact). */
    List<Draft> facing(Episode e, SplittableRandom rnd) {
        ViewData v = scene.view(e.getFromView());
        List<Draft> out = new ArrayList<>();
        for (int id : Salience.salient(v, s)) {
            int turn = 60 + 30 * rnd.nextInt(5); // 60..180
            boolean right = rnd.nextBoolean();
            double after = Yaw.wrap(bearing(v, id) - (right ? turn : -turn));
            if (Math.abs(Math.abs(after) - 90) < s.straightDeg()) {
                continue;
            }
            String answer = Math.abs(after) < 90 ? "in front of me" : "behind me";
            String q = String.format(Locale.ROOT, "If I turn %s by %d degrees, will %s be in front of me or behind me?",
                    right ? "right" : "left", turn, Text.the(scene.describe(id)));
            out.add(new Draft(ACTION_CONSEQUENCE, q, answer,
                    List.of(answer.equals("behind me") ? "in front of me" : "behind me")).show(v).episode(e.getEpisodeId())
                    .fact("bearing_deg", bearing(v, id)).fact("bearing_after_deg", after));
        }
        Salience.shuffle(out, rnd);
        return out;
    }

    // ---- object displacement ----------------------------------------------------------------

    List<Draft> objectMovement(Episode e, SplittableRandom rnd) {
        ViewData from = scene.view(e.getFromView());
        ViewData to = scene.view(e.getToView());
        ObjectMove mv = e.getObjectMove();
        String q = "Were any of the objects in the initial frame that you can still see in the second frame moved"
                + " from their original positions?";
        boolean none = mv == null || (mv.getDx() == 0 && mv.getDz() == 0);
        if (none) {
            if (!to.view.getPlacements().isEmpty()) {
                return List.of(); // the view says something moved, the episode says not: ask nothing
            }
            List<Integer> movable = Salience.salient(from, s).stream()
                    .filter(id -> scene.objects.get(id).getMovable() && Salience.salient(to, s).contains(id)).toList();
            if (movable.isEmpty()) {
                return List.of();
            }
            int id = movable.get(rnd.nextInt(movable.size()));
            String distractor = Text.the(scene.describe(id)) + " was moved " + (rnd.nextBoolean() ? "left" : "right")
                    + " and " + (rnd.nextBoolean() ? "towards" : "away from") + " the camera";
            return List.of(new Draft(OBJECT_MOVEMENT, q, "no objects moved", List.of(Text.capitalise(distractor)))
                    .show(from).show(to).episode(e.getEpisodeId()).fact("moved_object", "none"));
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
        String subject = Text.capitalise(Text.the(scene.describe(id))) + " was moved ";
        String answer = subject + String.join(" and ", parts);
        String distractor = rnd.nextDouble() < 0.3 ? "no objects moved" : subject + String.join(" and ", flipped);
        return List.of(new Draft(OBJECT_MOVEMENT, q, answer, List.of(distractor)).show(from).show(to)
                .episode(e.getEpisodeId()).fact("moved_object", String.valueOf(id)).fact("dx_world_m", mv.getDx())
                .fact("dz_world_m", mv.getDz()).fact("dx_ego_m", dx).fact("d_distance_m", dd));
    }

    // ---- perspective ------------------------------------------------------------------------

    List<Draft> perspective(Episode e, SplittableRandom rnd) {
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
        byte[] marked = Marks.cross(from.frame().getImage(), from.frame().getImageFormat(), mark.u(), mark.v());
        String turn = p.getTurnDeg() < 0 ? "left" : "right";
        List<Draft> sides = new ArrayList<>();
        List<Draft> distances = new ArrayList<>();
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
                String answer = x1 < 0 ? "left" : "right";
                String q = rnd.nextBoolean()
                        ? "If I move to the 'X' marked point in the image and turn " + turn + " by 90 degrees, will "
                                + Text.the(scene.describe(id)) + " be to my left or right?"
                        : "For someone standing at the 'X' marked point in the image and facing 90 degrees to the " + turn
                                + ", will " + Text.the(scene.describe(id)) + " be to their left or right?";
                // balance seen-side flips against non-flips (SAT kept flips only: a shortcut)
                Draft d = new Draft(PERSPECTIVE, q, answer, List.of(Text.opposite(answer))).show(from, marked)
                        .consult(probe).episode(e.getEpisodeId()).fact("x_ego_now_m", x0).fact("x_ego_there_m", x1)
                        .fact("bearing_there_deg", b1).fact("mark_u_px", mark.u()).fact("mark_v_px", mark.v())
                        .fact("flipped", String.valueOf(Math.signum(x0) != Math.signum(x1)));
                sides.add(d);
            }
            double delta = o.horizontalDistance(Vec3d.of(p.getPoint())) - o.horizontalDistance(from.camera.position());
            if (Math.abs(delta) >= s.perspectiveDistanceM()) {
                String answer = delta < 0 ? "closer" : "further away";
                String q = "If I move to the 'X' marked point in the image, will " + Text.the(scene.describe(id))
                        + " be closer to me or further away than it is now?";
                distances.add(new Draft(PERSPECTIVE, q, answer, List.of(Text.opposite(answer))).show(from, marked)
                        .consult(probe).episode(e.getEpisodeId()).fact("distance_now_m",
                                o.horizontalDistance(from.camera.position()))
                        .fact("distance_there_m", o.horizontalDistance(Vec3d.of(p.getPoint())))
                        .fact("mark_u_px", mark.u()).fact("mark_v_px", mark.v()));
            }
        }
        Salience.shuffle(sides, rnd);
        List<Draft> out = new ArrayList<>(byFlip(sides));
        Salience.shuffle(distances, rnd);
        out.addAll(Salience.take(distances, 1, rnd));
        return out;
    }

    /** Alternates flipped and unflipped side questions, up to the per-episode cap less one for distance. */
    private List<Draft> byFlip(List<Draft> sides) {
        List<Draft> flips = sides.stream().filter(d -> d.facts.get("flipped").equals("true")).toList();
        List<Draft> stays = sides.stream().filter(d -> d.facts.get("flipped").equals("false")).toList();
        List<Draft> out = new ArrayList<>();
        int cap = Math.max(1, s.perTypePerEpisode() - 1);
        for (int i = 0; out.size() < cap && (i < flips.size() || i < stays.size()); i++) {
            if (i < flips.size()) {
                out.add(flips.get(i));
            }
            if (out.size() < cap && i < stays.size()) {
                out.add(stays.get(i));
            }
        }
        return out;
    }

    private static boolean poseMatches(CameraPose expected, CameraPose rendered) {
        Vec3d a = Vec3d.of(expected.getPosition());
        Vec3d b = Vec3d.of(rendered.getPosition());
        return a.distance(b) <= POSE_TOLERANCE_M
                && Math.abs(Yaw.wrap(expected.getYawDeg() - rendered.getYawDeg())) <= YAW_TOLERANCE_DEG
                && Math.abs(expected.getPitchDeg() - rendered.getPitchDeg()) <= YAW_TOLERANCE_DEG;
    }
}
