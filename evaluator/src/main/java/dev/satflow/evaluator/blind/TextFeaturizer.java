package dev.satflow.evaluator.blind;

import dev.satflow.schema.QaRecord;
import java.util.Arrays;
import java.util.List;

/**
 * The question-only ("blind") featurizer: sees the question text and the option texts, nothing else but the
 * type. Per option: question unigrams and bigrams (raw, and with subject descriptions replaced by role tokens)
 * × the normalised option; option words × question words; the option alone (raw, normalised, its words) as an
 * answer prior; the option's position (alone, with the number of choices); type × option; type × position.
 */
final class TextFeaturizer implements Featurizer {
    static final int Q_UNI_X_OPT = 1;
    static final int Q_BI_X_OPT = 2;
    static final int OPT_WORD_X_Q_UNI = 3;
    static final int OPT_RAW = 4;
    static final int OPT_NORM = 5;
    static final int OPT_WORD = 6;
    static final int POS = 7;
    static final int POS_N = 8;
    static final int TYPE_X_OPT = 9;
    static final int TYPE_X_RAW = 10;
    static final int TYPE_POS_N = 11;
    static final int TYPE_X_OPT_WORD = 12;

    @Override
    public String name() {
        return "blind";
    }

    @Override
    public int[][] features(QaRecord r, FeatureHasher h) {
        List<QaText.Named> subjects = QaText.subjects(r);
        QaText.Named[] byLength = QaText.forReplacement(subjects);
        String question = r.getQuestion().toString();
        long type = h.key(r.getQuestionType());

        List<String> rawTokens = QaText.tokens(question);
        List<String> normTokens = byLength.length == 0 ? rawTokens : QaText.tokens(QaText.normalise(question, byLength));
        long[] uni = unique(concat(keys(h, rawTokens), keys(h, normTokens)));
        long[] bi = unique(concat(bigrams(h, rawTokens), bigrams(h, normTokens)));
        long[] uniPrefix = new long[uni.length];
        for (int i = 0; i < uni.length; i++) {
            uniPrefix[i] = h.prefix(Q_UNI_X_OPT, uni[i]);
        }
        long[] biPrefix = new long[bi.length];
        for (int i = 0; i < bi.length; i++) {
            biPrefix[i] = h.prefix(Q_BI_X_OPT, bi[i]);
        }

        List<String> choices = r.getChoices();
        int n = choices.size();
        long nKey = h.key(n);
        int[][] out = new int[n][];
        IntBuf buf = new IntBuf();
        for (int k = 0; k < n; k++) {
            String raw = QaText.lower(choices.get(k)).strip();
            String norm = byLength.length == 0 ? raw : QaText.normalise(raw, byLength);
            long oRaw = h.key(raw);
            long oNorm = h.key(norm);
            long[] words = norm.equals(raw) ? unique(keys(h, QaText.tokens(raw)))
                    : unique(concat(keys(h, QaText.tokens(raw)), keys(h, QaText.tokens(norm))));
            long pos = h.key(k);
            buf.clear();
            for (long u : uniPrefix) {
                buf.add(h.id(u, oNorm));
            }
            for (long b : biPrefix) {
                buf.add(h.id(b, oNorm));
            }
            for (long w : words) {
                long wp = h.prefix(OPT_WORD_X_Q_UNI, w);
                for (long u : uni) {
                    buf.add(h.id(wp, u));
                }
                buf.add(h.id(OPT_WORD, w));
                buf.add(h.id(TYPE_X_OPT_WORD, type, w));
            }
            buf.add(h.id(OPT_RAW, oRaw));
            buf.add(h.id(OPT_NORM, oNorm));
            buf.add(h.id(POS, pos));
            buf.add(h.id(POS_N, pos, nKey));
            buf.add(h.id(TYPE_X_OPT, type, oNorm));
            buf.add(h.id(TYPE_X_RAW, type, oRaw));
            buf.add(h.id(TYPE_POS_N, type, pos, nKey));
            out[k] = buf.toArray();
        }
        return out;
    }

    private static long[] keys(FeatureHasher h, List<String> tokens) {
        long[] a = new long[tokens.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = h.key(tokens.get(i));
        }
        return a;
    }

    private static final long BOS = 0x0B05L;
    private static final long EOS = 0x0E05L;

    private static long[] bigrams(FeatureHasher h, List<String> tokens) {
        long[] k = keys(h, tokens);
        long[] a = new long[k.length + 1];
        long prev = BOS;
        for (int i = 0; i < k.length; i++) {
            a[i] = FeatureHasher.combine(prev, k[i]);
            prev = k[i];
        }
        a[k.length] = FeatureHasher.combine(prev, EOS);
        return a;
    }

    static long[] concat(long[] a, long[] b) {
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Sorted distinct values (a copy). */
    static long[] unique(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        int m = 0;
        for (int i = 0; i < s.length; i++) {
            if (i == 0 || s[i] != s[i - 1]) {
                s[m++] = s[i];
            }
        }
        return Arrays.copyOf(s, m);
    }
}
