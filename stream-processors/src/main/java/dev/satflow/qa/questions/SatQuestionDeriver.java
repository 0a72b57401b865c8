package dev.satflow.qa.questions;

import dev.satflow.qa.QuestionDeriver;
import dev.satflow.qa.SourcedFrame;
import dev.satflow.schema.Episode;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.FrameRef;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.SourceRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * SAT's question types (sat.md §1) over one gathered scene: static questions on the distinct camera
 * poses (each asked once per scene), dynamic ones per episode. Pure and deterministic: the same spec,
 * frames and answer-prior table give the same records, choices shuffled by a generator seeded from
 * the scene id. Records reference their frames by topic coordinates and carry the marks to draw on
 * them; no pixels are copied.
 */
public final class SatQuestionDeriver implements QuestionDeriver {
    public static final String VERSION = "satflow-qa/2";

    private final QuestionSettings settings;
    private final AnswerPriors priors;

    public SatQuestionDeriver(QuestionSettings settings, AnswerPriors priors) {
        this.settings = settings;
        this.priors = priors;
    }

    /** Default thresholds and the answer-prior table shipped for the current generator. */
    public static SatQuestionDeriver standard() {
        return new SatQuestionDeriver(QuestionSettings.defaults(), AnswerPriors.standard());
    }

    public AnswerPriors priors() {
        return priors;
    }

    @Override
    public List<QaRecord> derive(SceneSpec spec, List<SourcedFrame> frames) {
        SceneViews scene = new SceneViews(spec, frames);
        long seed = seed(spec.getSceneId());
        Selection selection = new Selection(priors, seed, new HashSet<>());
        List<Draft> drafts = new ArrayList<>();
        StaticQuestions statics = new StaticQuestions(scene, settings, selection);
        Set<String> poses = new HashSet<>();
        for (SceneViews.ViewData v : scene.views()) {
            // a view that only moves an object has the first view's pose: one set of static questions per pose
            if (poses.add(v.view.getCamera().toString())) {
                drafts.addAll(statics.all(v, new SplittableRandom(seed ^ v.id().hashCode())));
            }
        }
        DynamicQuestions dynamics = new DynamicQuestions(scene, settings, selection);
        for (Episode e : spec.getEpisodes()) {
            drafts.addAll(dynamics.all(e, new SplittableRandom(seed ^ e.getEpisodeId().hashCode() * 31L)));
        }
        SplittableRandom shuffle = new SplittableRandom(seed);
        Map<String, Integer> perType = new HashMap<>();
        List<QaRecord> out = new ArrayList<>(drafts.size());
        for (Draft d : drafts) {
            int k = perType.merge(d.type, 1, Integer::sum) - 1;
            out.add(toRecord(spec, d, spec.getSceneId() + "/" + d.type + "/" + k, shuffle));
        }
        return out;
    }

    private static QaRecord toRecord(SceneSpec spec, Draft d, String qaId, SplittableRandom rnd) {
        List<String> choices = new ArrayList<>();
        choices.add(d.correct());
        choices.addAll(d.distractors());
        Salience.shuffle(choices, rnd);
        List<FrameRef> refs = new ArrayList<>();
        for (SceneViews.ViewData v : d.images) {
            refs.add(new FrameRef(v.id(), v.source.topic(), v.source.partition(), v.source.offset()));
        }
        List<SourceRef> sources = new ArrayList<>();
        for (SourcedFrame f : d.consulted) {
            sources.add(new SourceRef(f.topic(), f.partition(), f.offset()));
        }
        String renderer = d.consulted.isEmpty() ? "" : d.consulted.get(0).frame().getRendererVersion();
        return QaRecord.newBuilder()
                .setQaId(qaId)
                .setSceneId(spec.getSceneId())
                .setSplit(spec.getSplit())
                .setFamily(QuestionTypes.family(d.type))
                .setQuestionType(d.type)
                .setTemplate(d.ask.template())
                .setHeldOutPhrasing(d.ask.heldOut())
                .setQuestion(d.question())
                .setChoices(choices)
                .setCorrectIndex(choices.indexOf(d.correct()))
                .setCorrectAnswer(d.correct())
                .setImages(List.of())
                .setFrames(refs)
                .setMarks(List.copyOf(d.marks))
                .setSubjects(List.copyOf(d.subjects))
                .setGeneratorVersion(VERSION)
                .setLineage(Lineage.newBuilder().setSceneSeed(spec.getSeed())
                        .setSceneGeneratorVersion(spec.getGeneratorVersion()).setRendererVersion(renderer)
                        .setEpisodeId(d.episodeId).setSources(sources).build())
                .setFacts(new java.util.LinkedHashMap<>(d.facts))
                .build();
    }

    /** A seed from the scene id alone (String.hashCode is specified), spread by SplitMix64's finaliser. */
    static long seed(String sceneId) {
        long z = sceneId.hashCode() * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
