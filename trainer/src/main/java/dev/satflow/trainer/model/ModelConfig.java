package dev.satflow.trainer.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;

/**
 * Everything needed to rebuild a {@link SpatialQaModel} and the exact input encoding it was trained with.
 * A checkpoint stores this as {@code model.json}; parameters alone are meaningless without it.
 *
 * @param formatVersion     bumped when the block layout or input encoding changes incompatibly
 * @param imageSize         square input side in pixels (images are resampled to it)
 * @param cnnChannels       output channels of each conv stage; every stage but the last halves the grid
 * @param embedDim          token embedding width
 * @param hiddenDim         width of text vectors, attention and scorer
 * @param attentionHeads    heads of the question/choice-conditioned spatial attention pool (divides hiddenDim)
 * @param maxChoices        choices are padded (and masked) to this many
 * @param tokenBuckets      hashed vocabulary size, id 0 reserved for padding
 * @param maxQuestionTokens question tokens kept (longer questions are truncated)
 * @param maxChoiceTokens   tokens kept per choice
 * @param textEncoding      name of the tokenizer scheme, checked on load so ids keep their meaning
 */
public record ModelConfig(
        int formatVersion,
        int imageSize,
        List<Integer> cnnChannels,
        int embedDim,
        int hiddenDim,
        int attentionHeads,
        int maxChoices,
        int tokenBuckets,
        int maxQuestionTokens,
        int maxChoiceTokens,
        String textEncoding,
        int maxRoles,
        float groundingWeight) {

    /**
     * 3: grounding (role pointers over the grid, trained on the named objects' boxes), box extents and depths;
     * 4: a counting head (a density over the grid) and the number each choice states as an input.
     */
    public static final int FORMAT_VERSION = 4;
    /** v2 folds spelling variants and synonyms into one word before hashing (see TextEncoder). */
    public static final String TEXT_ENCODING = "fnv1a64-words-v2";
    /** Two image slots: every SAT question has one or two views. */
    public static final int MAX_IMAGES = 2;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ModelConfig {
        cnnChannels = List.copyOf(cnnChannels);
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported model formatVersion " + formatVersion);
        }
        if (!TEXT_ENCODING.equals(textEncoding)) {
            throw new IllegalArgumentException("unsupported textEncoding " + textEncoding);
        }
        if (cnnChannels.isEmpty() || cnnChannels.stream().anyMatch(c -> c <= 0)) {
            throw new IllegalArgumentException("cnnChannels must be non-empty and positive");
        }
        int stride = gridStride(cnnChannels.size());
        if (imageSize < stride || imageSize % stride != 0) {
            throw new IllegalArgumentException("imageSize " + imageSize + " must be a multiple of " + stride);
        }
        if (hiddenDim <= 0 || attentionHeads <= 0 || hiddenDim % attentionHeads != 0) {
            throw new IllegalArgumentException("hiddenDim must be a positive multiple of attentionHeads");
        }
        if (embedDim <= 0 || maxChoices < 2 || tokenBuckets < 2 || maxQuestionTokens < 1 || maxChoiceTokens < 1) {
            throw new IllegalArgumentException("invalid model dimensions: " + cnnChannels);
        }
        if (maxRoles < 1 || !(groundingWeight >= 0)) {
            throw new IllegalArgumentException("maxRoles = " + maxRoles + ", groundingWeight = " + groundingWeight
                    + ": need at least one role and a weight >= 0");
        }
    }

    /** The default: 64x64 inputs, about 0.4 M parameters, sized for a 2-core CPU. */
    public static ModelConfig defaults() {
        return withImageSize(64);
    }

    /** Defaults at another input size (any multiple of 8, e.g. 96). */
    public static ModelConfig withImageSize(int imageSize) {
        return new ModelConfig(FORMAT_VERSION, imageSize, List.of(24, 48, 64, 64), 48, 64, 4, 5, 4096, 40, 8,
                TEXT_ENCODING, 3, 1f);
    }

    /** The same model with another weight on the grounding loss (0 turns it off). */
    public ModelConfig withGroundingWeight(float weight) {
        return new ModelConfig(formatVersion, imageSize, cnnChannels, embedDim, hiddenDim, attentionHeads, maxChoices,
                tokenBuckets, maxQuestionTokens, maxChoiceTokens, textEncoding, maxRoles, weight);
    }

    /** Side of the feature grid the attention pools over. */
    public int gridSize() {
        return imageSize / gridStride(cnnChannels.size());
    }

    /** All stages but the last downsample by 2 (the last refines at full grid resolution). */
    private static int gridStride(int stages) {
        return 1 << Math.max(0, stages - 1);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise model config", e);
        }
    }

    public static ModelConfig fromJson(String json) {
        try {
            return JSON.readValue(json, ModelConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid model config JSON: " + e.getOriginalMessage(), e);
        }
    }
}
