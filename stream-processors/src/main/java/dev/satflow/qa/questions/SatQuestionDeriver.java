package dev.satflow.qa.questions;

import dev.satflow.qa.QuestionDeriver;
import dev.satflow.qa.SourcedFrame;
import dev.satflow.schema.Episode;
import dev.satflow.schema.Lineage;
import dev.satflow.schema.QaImage;
import dev.satflow.schema.QaRecord;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.SourceRef;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * SAT's question types (sat.md §1) over one gathered scene: static questions on every distinct
 * camera pose, dynamic ones per episode. Pure and deterministic: the same spec and frames give the
 * same records, choices shuffled by a generator seeded from the scene id.
 */
public final class SatQuestionDeriver implements QuestionDeriver {
    public static final String VERSION = "satflow-qa/1";

    private final QuestionSettings settings;

    public SatQuestionDeriver(QuestionSettings settings) {
        this.settings = settings;
    }

    public static SatQuestionDeriver standard() {
        return new SatQuestionDeriver(QuestionSettings.defaults());
    }

    @Override
    public List<QaRecord> derive(SceneSpec spec, List<SourcedFrame> frames) {
        SceneViews scene = new SceneViews(spec, frames);
        long seed = seed(spec.getSceneId());
        List<Draft> drafts = new ArrayList<>();
        StaticQuestions statics = new StaticQuestions(scene, settings);
        Set<String> poses = new HashSet<>();
        for (SceneViews.ViewData v : scene.views()) {
            // a view that only moves an object has the first view's pose: one set of static questions per pose
            if (poses.add(v.view.getCamera().toString())) {
                drafts.addAll(statics.all(v, new SplittableRandom(seed ^ v.id().hashCode())));
            }
        }
        DynamicQuestions dynamics = new DynamicQuestions(scene, settings);
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
        choices.add(d.correct);
        choices.addAll(d.distractors);
        Salience.shuffle(choices, rnd);
        List<QaImage> images = new ArrayList<>();
        for (Draft.Image img : d.images) {
            images.add(QaImage.newBuilder().setViewId(img.viewId()).setFormat(img.format())
                    .setBytes(ByteBuffer.wrap(img.bytes())).build());
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
                .setQuestion(d.question)
                .setChoices(choices)
                .setCorrectIndex(choices.indexOf(d.correct))
                .setCorrectAnswer(d.correct)
                .setImages(images)
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
