package dev.satflow.evaluator.blind;

import dev.satflow.schema.QaRecord;
import java.util.Arrays;
import java.util.List;

/**
 * The category-aware blind featurizer: sees the question type, the template (phrasing id), the categories of
 * the named subjects in role order and the options normalised by role token ("the &lt;A&gt;"); not the
 * question text nor the subjects' colours and materials. Per option: (type, template, option); (type, the
 * role:category sequence, option); (type, role, category, option) for each subject; (type, sorted category
 * set, option); plus the answer prior and position features of the text featurizer.
 */
final class CategoryFeaturizer implements Featurizer {
    static final int TYPE_TEMPLATE_OPT = 21;
    static final int TYPE_SEQ_OPT = 22;
    static final int TYPE_ROLE_CAT_OPT = 23;
    static final int TYPE_SET_OPT = 24;
    static final int TYPE_TEMPLATE_POS = 25;

    @Override
    public String name() {
        return "blind_category";
    }

    @Override
    public int[][] features(QaRecord r, FeatureHasher h) {
        List<QaText.Named> subjects = QaText.subjects(r);
        QaText.Named[] byLength = QaText.forReplacement(subjects);
        long type = h.key(r.getQuestionType());
        long template = h.key(r.getTemplate());

        long seq = h.key("seq");
        long[] roleCat = new long[subjects.size()];
        long[] cats = new long[subjects.size()];
        for (int i = 0; i < roleCat.length; i++) {
            QaText.Named s = subjects.get(i);
            cats[i] = h.key(s.category());
            roleCat[i] = FeatureHasher.combine(h.key(s.role()), cats[i]);
            seq = FeatureHasher.combine(seq, roleCat[i]);
        }
        Arrays.sort(cats);
        long set = h.key("set");
        for (long c : cats) {
            set = FeatureHasher.combine(set, c);
        }

        List<String> choices = r.getChoices();
        int n = choices.size();
        long nKey = h.key(n);
        int[][] out = new int[n][];
        IntBuf buf = new IntBuf();
        for (int k = 0; k < n; k++) {
            String raw = QaText.lower(choices.get(k)).strip();
            long oNorm = h.key(byLength.length == 0 ? raw : QaText.normalise(raw, byLength));
            long pos = h.key(k);
            buf.clear();
            buf.add(h.id(TYPE_TEMPLATE_OPT, type, template, oNorm));
            buf.add(h.id(TYPE_SEQ_OPT, type, seq, oNorm));
            for (long rc : roleCat) {
                buf.add(h.id(TYPE_ROLE_CAT_OPT, type, rc, oNorm));
            }
            buf.add(h.id(TYPE_SET_OPT, type, set, oNorm));
            buf.add(h.id(TextFeaturizer.OPT_NORM, oNorm));
            buf.add(h.id(TextFeaturizer.TYPE_X_OPT, type, oNorm));
            buf.add(h.id(TextFeaturizer.POS, pos));
            buf.add(h.id(TextFeaturizer.POS_N, pos, nKey));
            buf.add(h.id(TextFeaturizer.TYPE_POS_N, type, pos, nKey));
            buf.add(h.id(TYPE_TEMPLATE_POS, template, pos, nKey));
            out[k] = buf.toArray();
        }
        return out;
    }
}
