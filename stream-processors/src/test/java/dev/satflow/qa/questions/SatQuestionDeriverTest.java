package dev.satflow.qa.questions;

import static dev.satflow.qa.questions.HandScenes.pose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satflow.core.qa.SubjectRoles;
import dev.satflow.qa.SourcedFrame;
import dev.satflow.schema.CameraPose;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.View;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Known answers on hand-built scenes, read back through every phrasing ({@link Claims}), and
 * properties over random ones: mirroring a scene swaps every left and right and changes nothing
 * else; option positions are balanced; derivation is deterministic; an episode whose views
 * disagree with its parameters asks nothing. Balancing is off here (no prior table), so what is
 * asked depends on the geometry alone; {@link SelectionTest} covers selection.
 */
class SatQuestionDeriverTest {
    private final SatQuestionDeriver deriver = new SatQuestionDeriver(QuestionSettings.defaults(), AnswerPriors.NONE);

    private List<QaRecord> derive(SceneSpec spec) {
        return deriver.derive(spec, HandScenes.frames(spec));
    }

    private static List<String> claims(List<QaRecord> records) {
        return Claims.all(records);
    }

    private static List<QaRecord> ofType(List<QaRecord> all, String type) {
        return all.stream().filter(r -> r.getQuestionType().equals(type)).toList();
    }

    private static HandScenes threeObjects(String id) {
        return new HandScenes(id)
                .object(1, "chair", "red chair", -1.5, 0.4, -3, 0.8)
                .object(2, "table", "blue table", 1.5, 0.4, -3, 0.8)
                .object(3, "box", "green box", 0, 0.7, -5.5, 1.4)
                .initial(pose(0, 0, 0, 15));
    }

    @Test
    void leftRightAndDepthOnAKnownScene() {
        // chair left (x -1.5), table right (x 1.5), both 3.35 m away; the box in the middle, 5.5 m away
        Map<String, Double> x = Map.of("red chair", -1.5, "blue table", 1.5, "green box", 0.0);
        Map<String, Double> distance = Map.of("red chair", 3.35, "blue table", 3.35, "green box", 5.5);
        List<QaRecord> qa = derive(threeObjects("known").spec());
        List<QaRecord> lr = ofType(qa, QuestionTypes.LEFT_RIGHT);
        assertFalse(lr.isEmpty(), "left/right questions");
        Pattern side = Pattern.compile("left_right: (.+) (left|right) of (.+)");
        for (QaRecord r : lr) {
            Matcher m = side.matcher(Claims.of(r));
            assertTrue(m.matches(), Claims.of(r));
            boolean left = x.get(m.group(1)) < x.get(m.group(3));
            assertEquals(left ? "left" : "right", m.group(2), r.getTemplate() + ": " + r.getQuestion());
            assertEquals(r.getCorrectAnswer(), r.getChoices().get(r.getCorrectIndex()));
            assertEquals(2, r.getChoices().size());
        }
        List<QaRecord> depth = ofType(qa, QuestionTypes.RELATIVE_DEPTH);
        assertFalse(depth.isEmpty(), "relative depth questions");
        for (QaRecord r : depth) {
            List<String> named = r.getSubjects().stream().map(s -> s.getDescription()).toList();
            assertTrue(named.contains("green box"), "chair and table are equally far, never compared: " + named);
            String closer = Claims.of(r).substring("relative_depth: closer ".length());
            String expected = named.stream().min((a, b) -> Double.compare(distance.get(a), distance.get(b))).orElseThrow();
            assertEquals(expected, closer, r.getTemplate() + ": " + r.getQuestion() + " -> " + r.getCorrectAnswer());
        }
    }

    @Test
    void countingNamesEveryInstanceItCountedAndItsAnswerIsHowManyThereAre() {
        // three chairs in plain view, one table; no mugs: "how many chairs" is 3, "how many mugs" 0
        SceneSpec spec = new HandScenes("count")
                .object(1, "chair", "red chair", -1.5, 0.4, -3, 0.8)
                .object(2, "chair", "blue chair", 0, 0.4, -3.5, 0.8)
                .object(3, "chair", "green chair", 1.5, 0.4, -3, 0.8)
                .object(4, "table", "oak table", 0, 0.4, -5.5, 1.2)
                .initial(pose(0, 0, 0, 15)).spec();
        List<QaRecord> counting = ofType(derive(spec), QuestionTypes.COUNTING);
        Map<String, QaRecord> byCategory = new HashMap<>();
        for (QaRecord r : counting) {
            String category = r.getSubjects().get(0).getCategory();
            assertEquals(SubjectRoles.CATEGORY, r.getSubjects().get(0).getRole());
            List<Integer> counted = r.getSubjects().stream()
                    .filter(x -> x.getRole().equals(SubjectRoles.COUNTED))
                    .map(x -> x.getObjectId()).sorted().toList();
            assertEquals(String.valueOf(counted.size()), r.getCorrectAnswer(), r.getQuestion() + " " + counted);
            byCategory.put(category, r);
        }
        // chairs, and one of the absent categories that come in sets (which one is the scene seed's choice)
        assertEquals(2, byCategory.size(), byCategory.keySet().toString());
        assertEquals("3", byCategory.get("chair").getCorrectAnswer());
        assertEquals(List.of(1, 2, 3), byCategory.get("chair").getSubjects().stream().skip(1)
                .map(x -> x.getObjectId()).sorted().toList());
        assertTrue(byCategory.get("chair").getMarks().isEmpty(), "counting marks nothing");
        byCategory.remove("chair");
        QaRecord absent = byCategory.values().iterator().next();
        assertEquals("0", absent.getCorrectAnswer());
        assertEquals(1, absent.getSubjects().size(), "nothing counted, only the category");
    }

    /** A claim agrees with the truth: it states it, or (a yes/no question answered no) denies something else. */
    private static void assertClaims(String truth, String claim, QaRecord r) {
        String type = r.getQuestionType() + ": ";
        String stated = claim.substring(type.length());
        boolean ok = stated.startsWith("not ") ? !stated.substring(4).equals(truth) : stated.equals(truth);
        assertTrue(ok, "truth '" + truth + "', claim '" + claim + "' (" + r.getTemplate() + ": " + r.getQuestion()
                + " -> " + r.getCorrectAnswer() + ")");
    }

    @Test
    void egoMovementNamesTheRecordedMotion() {
        Map<double[], String> cases = new java.util.LinkedHashMap<>();
        cases.put(new double[] {40, 0.3}, "rotated right and moved forward");
        cases.put(new double[] {-30, 0}, "rotated left");
        cases.put(new double[] {0, 0.3}, "moved forward");
        cases.put(new double[] {0, 0}, "did not move");
        int k = 0;
        for (Map.Entry<double[], String> c : cases.entrySet()) {
            for (int rep = 0; rep < 6; rep++) { // several scenes, so several phrasings
                SceneSpec spec = threeObjects("ego-" + k++).ego("ego_motion", c.getKey()[0], c.getKey()[1], 0).spec();
                List<QaRecord> ego = ofType(derive(spec), QuestionTypes.EGO_MOVEMENT);
                assertEquals(1, ego.size(), "one ego question for " + c.getValue());
                assertClaims(c.getValue(), Claims.of(ego.get(0)), ego.get(0));
                assertEquals(2, ego.get(0).getFrames().size(), "first and last frame");
                assertTrue(ego.get(0).getImages().isEmpty(), "no pixels copied");
            }
        }
    }

    @Test
    void cameraTranslationReadsTheSidewaysShift() {
        for (int rep = 0; rep < 6; rep++) {
            SceneSpec right = threeObjects("tr-right-" + rep).ego("camera_translation", 60, 0.5, -60).spec();
            QaRecord r = ofType(derive(right), QuestionTypes.CAMERA_TRANSLATION).get(0);
            assertClaims("moved right", Claims.of(r), r);
            SceneSpec left = threeObjects("tr-left-" + rep).ego("camera_translation", -60, 0.5, 60).spec();
            QaRecord l = ofType(derive(left), QuestionTypes.CAMERA_TRANSLATION).get(0);
            assertClaims("moved left", Claims.of(l), l);
        }
    }

    @Test
    void objectMovementNamesDirectionAndNothingWhenNothingMoved() {
        for (int rep = 0; rep < 6; rep++) {
            QaRecord right = ofType(derive(twoObjects("move-right-" + rep).move(1, 0.5, 0).spec()),
                    QuestionTypes.OBJECT_MOVEMENT).get(0);
            assertMoved("The red chair was moved right", right);
            QaRecord away = ofType(derive(twoObjects("move-away-" + rep).move(1, 0, -0.5).spec()),
                    QuestionTypes.OBJECT_MOVEMENT).get(0);
            assertMoved("The red chair was moved away from the camera", away);
            QaRecord none = ofType(derive(twoObjects("move-none-" + rep).move(1, 0, 0).spec()),
                    QuestionTypes.OBJECT_MOVEMENT).get(0);
            assertMoved("no objects moved", none);
        }
    }

    private static HandScenes twoObjects(String id) {
        return new HandScenes(id).object(1, "chair", "red chair", 0, 0.4, -3, 0.8)
                .object(2, "box", "green box", 1.8, 0.4, -4, 0.8).initial(pose(0, 0, 0, 15));
    }

    /** A yes/no variant asks whether one object moved; the others state what happened. */
    private static void assertMoved(String truth, QaRecord r) {
        String claim = Claims.of(r).substring("object_movement: ".length());
        if (r.getTemplate().endsWith("yes_no")) {
            boolean chairMoved = !truth.equals("no objects moved");
            String expected = claim.startsWith("the red chair") ? "the red chair" + (chairMoved ? " moved" : " not moved")
                    : "the green box not moved";
            assertEquals(expected, claim, r.getQuestion());
        } else {
            assertEquals(truth, claim, r.getTemplate() + ": " + r.getQuestion());
            assertTrue(r.getChoices().contains(truth));
        }
    }

    @Test
    void perspectiveAnswersFromTheMarkedPoint() {
        // stand at (0, -3) facing +x (a right turn; +z is then on the right): the vase is behind on the
        // left, the lamp ahead on the right, the bin (between the two standpoints) on the right and further away
        Map<String, String> side = Map.of("red vase", "left", "blue lamp", "right", "green bin", "right");
        Map<String, String> distance = Map.of("red vase", "closer", "blue lamp", "closer", "green bin", "further");
        int asked = 0;
        for (int rep = 0; rep < 8; rep++) {
            SceneSpec spec = new HandScenes("persp-" + rep).object(1, "vase", "red vase", -1, 0.4, -5, 0.8)
                    .object(2, "lamp", "blue lamp", 1.5, 0.4, -2, 0.8)
                    .object(3, "bin", "green bin", -0.8, 0.4, -1.2, 0.8).initial(pose(0, 0, 0, 15)).probe(0, -3, 90)
                    .spec();
            SourcedFrame v0 = HandScenes.frames(spec).get(0);
            for (QaRecord r : ofType(derive(spec), QuestionTypes.PERSPECTIVE)) {
                String name = r.getSubjects().get(0).getDescription();
                String claim = Claims.of(r);
                String expected = r.getTemplate().contains("/side_") ? side.get(name) : distance.get(name);
                assertEquals("perspective: " + name + " " + expected, claim, r.getTemplate() + ": " + r.getQuestion());
                assertEquals(1, r.getFrames().size());
                assertEquals(v0.offset(), r.getFrames().get(0).getOffset(), "shows the first view");
                assertTrue(r.getMarks().stream().anyMatch(m -> m.getKind().equals("cross")), "the X is marked");
                asked++;
            }
        }
        assertTrue(asked >= 8, asked + " perspective questions");
    }

    @Test
    void goalAimGivesTheTurnToFaceTheObject() {
        Map<String, String> expected = Map.of("red chair", "turn right by 34 degrees", "green box", "look straight");
        for (int rep = 0; rep < 6; rep++) {
            SceneSpec spec = new HandScenes("aim-" + rep).object(1, "chair", "red chair", 2, 0.4, -3, 0.8)
                    .object(2, "box", "green box", 0, 0.4, -4, 0.8).initial(pose(0, 0, 0, 15)).spec();
            List<QaRecord> aim = ofType(derive(spec), QuestionTypes.GOAL_AIM);
            assertEquals(2, aim.size());
            for (QaRecord r : aim) {
                assertClaims(expected.get(r.getSubjects().get(0).getDescription()), Claims.of(r), r);
            }
        }
    }

    @Test
    void anEpisodeWhoseViewDisagreesWithItsMotionAsksNothing() {
        SceneSpec honest = threeObjects("tamper").ego("ego_motion", 40, 0.3, 0).spec();
        assertEquals(1, ofType(derive(honest), QuestionTypes.EGO_MOVEMENT).size());
        SceneSpec tampered = SceneSpec.newBuilder(honest).build();
        View to = tampered.getViews().get(1);
        CameraPose off = CameraPose.newBuilder(to.getCamera()).setYawDeg(to.getCamera().getYawDeg() + 10).build();
        tampered.getViews().set(1, View.newBuilder(to).setCamera(off).build());
        assertEquals(0, ofType(derive(tampered), QuestionTypes.EGO_MOVEMENT).size());
    }

    // ---- properties over random scenes ------------------------------------------------------

    private static final String[][] NAMES = {{"chair", "red chair"}, {"table", "oak table"}, {"box", "green box"},
            {"lamp", "white lamp"}, {"vase", "blue vase"}, {"bin", "black bin"}, {"sofa", "grey sofa"}};

    static SceneSpec random(long seed) {
        Random r = new Random(seed);
        HandScenes h = new HandScenes("rnd-" + seed);
        int n = 4 + r.nextInt(3);
        List<double[]> at = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x = 0;
            double z = 0;
            for (int tries = 0; tries < 50; tries++) {
                x = -3 + 6 * r.nextDouble();
                z = -2.2 - 4.5 * r.nextDouble();
                boolean apart = true;
                for (double[] p : at) {
                    apart &= Math.hypot(p[0] - x, p[1] - z) > 1.0;
                }
                if (apart) {
                    break;
                }
            }
            at.add(new double[] {x, z});
            double size = 0.6 + 0.5 * r.nextDouble();
            double y = r.nextBoolean() ? size / 2 : size / 2 + 0.8 * r.nextDouble();
            h.object(i + 1, NAMES[i][0], NAMES[i][1], x, y, z, size);
        }
        h.initial(pose(0, 0, 0, 15));
        h.ego("ego_motion", (r.nextBoolean() ? 1 : -1) * (20 + 40 * r.nextDouble()), r.nextBoolean() ? 0.3 : 0, 0);
        double rot = (r.nextBoolean() ? 1 : -1) * (45 + 45 * r.nextDouble());
        h.ego("camera_translation", rot, 0.5, -rot);
        h.move(1 + r.nextInt(n), (r.nextBoolean() ? 1 : -1) * 0.5, 0);
        h.probe(-1 + 2 * r.nextDouble(), -2 - 2 * r.nextDouble(), r.nextBoolean() ? 90 : -90);
        return h.spec();
    }

    private static final Pattern SIDE = Pattern.compile("\\b(left|right)\\b");

    /** Every "left" becomes "right" and back; the symmetric "left or (to the) right" of a question stays. */
    static String swapSides(String s) {
        s = s.replace("left or to the right", "\u0001").replace("left or right", "\u0002");
        Matcher m = SIDE.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, m.group(1).equals("left") ? "right" : "left");
        }
        m.appendTail(b);
        return b.toString().replace("\u0001", "left or to the right").replace("\u0002", "left or right");
    }

    @Test
    void mirroringASceneSwapsEveryLeftAndRightAndNothingElse() {
        int compared = 0;
        int sided = 0;
        for (long seed = 0; seed < 60; seed++) {
            SceneSpec spec = random(seed);
            // the static episode's questions draw a turn direction at random ("if I turn left by 120
            // degrees..."), so their mirror image is a different question; the known-answer tests cover them
            spec.getEpisodes().removeIf(e -> e.getKind().equals("static"));
            Map<String, QaRecord> plain = new TreeMap<>();
            derive(spec).forEach(q -> plain.put(q.getQaId(), q));
            Map<String, QaRecord> mirrored = new TreeMap<>();
            derive(HandScenes.mirror(spec)).forEach(q -> mirrored.put(q.getQaId(), q));
            assertEquals(plain.keySet(), mirrored.keySet(), "same questions asked, seed " + seed);
            for (QaRecord a : plain.values()) {
                QaRecord b = mirrored.get(a.getQaId());
                assertEquals(a.getTemplate(), b.getTemplate(), a.getQaId());
                assertEquals(swapSides(Claims.of(a)), Claims.of(b), a.getQaId() + " " + a.getQuestion());
                assertEquals(a.getSubjects(), b.getSubjects(), a.getQaId());
                assertEquals(a.getMarks().stream().map(m -> m.getKind() + m.getLabel() + m.getObjectId()).toList(),
                        b.getMarks().stream().map(m -> m.getKind() + m.getLabel() + m.getObjectId()).toList());
                compared++;
                if (SIDE.matcher(Claims.of(a)).find()) {
                    sided++;
                }
            }
        }
        assertTrue(compared > 300 && sided > 100, compared + " compared, " + sided + " with a side in the claim");
    }

    @Test
    void answersAndOptionPositionsAreBalancedAndEveryTypeAppears() {
        Map<String, int[]> index0 = new TreeMap<>();
        Map<String, Double> chance = new TreeMap<>();
        Map<String, Map<String, Integer>> answers = new TreeMap<>();
        for (long seed = 100; seed < 260; seed++) {
            for (QaRecord r : derive(random(seed))) {
                int[] c = index0.computeIfAbsent(r.getQuestionType(), t -> new int[2]);
                c[0] += r.getCorrectIndex() == 0 ? 1 : 0;
                c[1]++;
                chance.merge(r.getQuestionType(), 1.0 / r.getChoices().size(), Double::sum);
                answers.computeIfAbsent(r.getQuestionType(), t -> new HashMap<>()).merge(r.getCorrectAnswer(), 1,
                        Integer::sum);
                assertEquals(r.getCorrectAnswer(), r.getChoices().get(r.getCorrectIndex()));
                assertEquals(r.getChoices().size(), new java.util.HashSet<>(r.getChoices()).size(), "distinct options");
            }
        }
        for (String type : List.of(QuestionTypes.LEFT_RIGHT, QuestionTypes.RELATIVE_DEPTH, QuestionTypes.EGO_MOVEMENT,
                QuestionTypes.CAMERA_TRANSLATION, QuestionTypes.OBJECT_MOVEMENT, QuestionTypes.GOAL_AIM,
                QuestionTypes.ACTION_CONSEQUENCE, QuestionTypes.PERSPECTIVE, QuestionTypes.HEIGHT,
                QuestionTypes.RELATIVE_DISTANCE)) {
            assertTrue(index0.containsKey(type), "type " + type + " appears: " + index0.keySet());
        }
        for (Map.Entry<String, int[]> e : index0.entrySet()) {
            int[] c = e.getValue();
            if (c[1] >= 40) {
                double share = c[0] / (double) c[1];
                double expected = chance.get(e.getKey()) / c[1];
                assertTrue(Math.abs(share - expected) < 0.15, e.getKey() + ": correct option first in " + share
                        + ", chance " + expected);
            }
        }
        Map<String, Integer> lr = answers.get(QuestionTypes.LEFT_RIGHT);
        int sides = lr.getOrDefault("left", 0) + lr.getOrDefault("right", 0);
        double left = lr.getOrDefault("left", 0) / (double) sides;
        assertTrue(sides > 50 && left > 0.35 && left < 0.65, "left share " + left + " of " + lr);
    }

    @Test
    void derivationIsDeterministic() {
        for (long seed = 0; seed < 10; seed++) {
            SceneSpec spec = random(seed);
            assertEquals(derive(spec), derive(spec));
        }
    }
}
