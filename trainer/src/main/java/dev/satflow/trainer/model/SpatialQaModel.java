package dev.satflow.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.recurrent.GRU;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.satflow.trainer.data.BatchAssembler;
import java.util.List;

/**
 * Scores every answer choice of a one- or two-image spatial question.
 *
 * <p>Why this shape: SAT answers depend on <em>where</em> things are (left/right, near/far, what moved), so
 * the image is never collapsed to one global vector. A small CNN, shared by both image slots, produces a
 * feature grid; each grid cell carries [first view, second view, their difference, x, y, has-second-view].
 * For every choice, a query built from the question and that choice attention-pools the grid (several heads,
 * so one head can find the subject and another the reference object), and an MLP turns the pooled evidence
 * plus the text into one logit. Padded choices get -inf, so they are never predicted and add no loss.
 *
 * <p>Inputs (see {@link #inputShapes}):
 * <ol start="0">
 *   <li>images {@code [N, 3, S, S]} float in [0, 1]: the B first views, then the second views of the rows that
 *       have one (N = B + number of two-image rows), so the CNN never runs on placeholder images</li>
 *   <li>secondIndex {@code [B]} int64: row of each example's second view in {@code images}, or N for "none"
 *       (that row is an all-zero feature grid appended inside the model)</li>
 *   <li>hasSecond {@code [B]} float 0/1</li>
 *   <li>question tokens {@code [B, Lq]} int64, 0 = padding</li>
 *   <li>choice tokens {@code [B, C, Lc]} int64, 0 = padding</li>
 *   <li>choiceMask {@code [B, C]} boolean, true for real choices</li>
 *   <li>roleMask {@code [B, R]} float 0/1: which roles (A, B, C) the question names</li>
 *   <li>choiceRole {@code [B, C, R]} float 0/1: which role's object each choice names</li>
 *   <li>choiceNumber {@code [B, C]} float: the number a choice states ("3"), or -1</li>
 * </ol>
 * Outputs: logits {@code [B, C]}, and grounding log-probabilities {@code [B, R, P]}: for each role, where over
 * the P grid cells the named object is. Grounding is how the model finds "the sage green coat rack": a role
 * query (the question and which role) points at cells, trained on the objects' boxes (the
 * trainer's auxiliary loss); what it points at (pooled features and the expected x, y) is evidence for the
 * choices that name that role and for the question as a whole (is A left of B: compare their x).
 * A fourth output, the count density {@code [B, P]}, says how many of the objects the question counts each cell
 * holds; its sum is the count that choices stating a number are scored against.
 */
public final class SpatialQaModel extends AbstractBlock {

    public static final int IN_IMAGES = 0;
    public static final int IN_SECOND_INDEX = 1;
    public static final int IN_HAS_SECOND = 2;
    public static final int IN_QUESTION = 3;
    public static final int IN_CHOICES = 4;
    public static final int IN_CHOICE_MASK = 5;
    public static final int IN_ROLE_MASK = 6;
    public static final int IN_CHOICE_ROLE = 7;
    public static final int IN_CHOICE_NUMBER = 8;
    public static final int OUT_LOGITS = 0;
    public static final int OUT_GROUNDING = 1;
    public static final int OUT_BOXES = 2;
    public static final int OUT_COUNT_DENSITY = 3;

    private static final byte VERSION = 4;
    /** Starts every cell near softplus(-4) = 0.02 objects, so a fresh model counts about one in all. */
    private static final float COUNT_PRIOR_LOGIT = 4f;
    /** Counts beyond any a question asks (SAT's go to single digits) score no worse than this. */
    private static final float MAX_COUNT = 20f;
    /** Per-cell extras appended to the three feature grids: x, y, has-second-view. */
    private static final int CELL_EXTRAS = 3;

    private final ModelConfig config;
    private final int gridChannels;
    private final SequentialBlock cnn;
    private final TokenEmbedding tokens;
    private final Parameter choicePositions;
    private final GRU questionRnn;
    private final Linear choiceProjection;
    private final Linear cellProjection;
    private final Linear keyProjection;
    private final Linear valueProjection;
    private final Linear queryHidden;
    private final Linear queryProjection;
    private final Linear scoreHidden;
    private final Linear scoreOutput;
    private final Linear roleQuery;
    private final Linear choiceToRelations;
    private final Linear questionToEvidence;
    private final Linear questionToRelations;
    private final Linear questionToDistance;
    private final Linear boxHead;
    private final Linear countQuery;
    private final Linear countGate;

    public SpatialQaModel(ModelConfig config) {
        super(VERSION);
        this.config = config;
        List<Integer> channels = config.cnnChannels();
        this.gridChannels = channels.get(channels.size() - 1);
        int d = config.hiddenDim();

        SequentialBlock convs = new SequentialBlock();
        for (int i = 0; i < channels.size(); i++) {
            int stride = i < channels.size() - 1 ? 2 : 1;
            convs.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(stride, stride))
                    .optPadding(new Shape(1, 1)).setFilters(channels.get(i)).optBias(false).build());
            convs.add(BatchNorm.builder().build());
            convs.add(Activation.reluBlock());
        }
        cnn = addChildBlock("cnn", convs);
        tokens = addChildBlock("tokens", new TokenEmbedding(config.tokenBuckets(), config.embedDim()));
        choicePositions = addParameter(Parameter.builder().setName("choicePositions")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.maxChoiceTokens(), config.embedDim())).build());
        questionRnn = addChildBlock("questionRnn", GRU.builder().setStateSize(d).setNumLayers(1)
                .optBatchFirst(true).optReturnState(false).build());
        choiceProjection = addChildBlock("choiceProjection", Linear.builder().setUnits(d).build());
        cellProjection = addChildBlock("cellProjection", Linear.builder().setUnits(d).build());
        keyProjection = addChildBlock("keyProjection", Linear.builder().setUnits(d).build());
        valueProjection = addChildBlock("valueProjection", Linear.builder().setUnits(d).build());
        queryHidden = addChildBlock("queryHidden", Linear.builder().setUnits(d).build());
        queryProjection = addChildBlock("queryProjection", Linear.builder().setUnits(d).build());
        scoreHidden = addChildBlock("scoreHidden", Linear.builder().setUnits(d).build());
        scoreOutput = addChildBlock("scoreOutput", Linear.builder().setUnits(1).build());
        roleQuery = addChildBlock("roleQuery", Linear.builder().setUnits(d).build());
        int r = config.maxRoles();
        choiceToRelations = addChildBlock("choiceToRelations", Linear.builder().setUnits(relations(r)).build());
        questionToEvidence = addChildBlock("questionToEvidence", Linear.builder().setUnits(d + 2).build());
        questionToRelations = addChildBlock("questionToRelations", Linear.builder().setUnits(relations(r)).build());
        questionToDistance = addChildBlock("questionToDistance", Linear.builder().setUnits(2).build());
        boxHead = addChildBlock("boxHead", Linear.builder().setUnits(BatchAssembler.BOX_VALUES).build());
        countQuery = addChildBlock("countQuery", Linear.builder().setUnits(d + 1).build());
        countGate = addChildBlock("countGate", Linear.builder().setUnits(1).build());
    }

    public ModelConfig config() {
        return config;
    }

    /** Shapes to initialise with, for a batch of {@code batch} examples that all have two images. */
    public Shape[] inputShapes(int batch) {
        int s = config.imageSize();
        int c = config.maxChoices();
        return new Shape[] {
            new Shape(2L * batch, 3, s, s),
            new Shape(batch),
            new Shape(batch),
            new Shape(batch, config.maxQuestionTokens()),
            new Shape(batch, c, config.maxChoiceTokens()),
            new Shape(batch, c),
            new Shape(batch, config.maxRoles()),
            new Shape(batch, c, config.maxRoles()),
            new Shape(batch, c)
        };
    }

    /** Data types matching {@link #inputShapes}. */
    public static DataType[] inputTypes() {
        return new DataType[] {
            DataType.FLOAT32, DataType.INT64, DataType.FLOAT32, DataType.INT64, DataType.INT64, DataType.BOOLEAN,
            DataType.FLOAT32, DataType.FLOAT32, DataType.FLOAT32
        };
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray images = inputs.get(IN_IMAGES);
        NDArray secondIndex = inputs.get(IN_SECOND_INDEX);
        NDArray hasSecond = inputs.get(IN_HAS_SECOND);
        NDArray question = inputs.get(IN_QUESTION);
        NDArray choices = inputs.get(IN_CHOICES);
        NDArray choiceMask = inputs.get(IN_CHOICE_MASK);
        NDArray roleMask = inputs.get(IN_ROLE_MASK);
        NDArray choiceRole = inputs.get(IN_CHOICE_ROLE);
        NDArray choiceNumber = inputs.get(IN_CHOICE_NUMBER);
        long b = question.getShape().get(0);
        long c = choices.getShape().get(1);
        int d = config.hiddenDim();
        int heads = config.attentionHeads();
        int headDim = d / heads;
        NDManager mgr = question.getManager();

        NDArray cells = cellFeatures(ps, images, secondIndex, hasSecond, b, training);       // [B, P, 3F+3]
        long p = cells.getShape().get(1);
        NDArray cellHidden = cellProjection.forward(ps, new NDList(cells), training).head()
                .getNDArrayInternal().relu();                                                 // [B, P, D]
        NDArray keys = keyProjection.forward(ps, new NDList(cellHidden), training).head();     // [B, P, D]
        NDArray values = valueProjection.forward(ps, new NDList(cellHidden), training).head(); // [B, P, D]

        NDArray questionVec = encodeQuestion(ps, question, training);                          // [B, D]
        NDArray choiceVec = encodeChoices(ps, choices, training);                               // [B, C, D]
        NDArray questionPerChoice = questionVec.expandDims(1).broadcast(new Shape(b, c, d));
        NDArray agreement = questionPerChoice.mul(choiceVec);

        NDArray queryIn = NDArrays.concat(new NDList(questionPerChoice, choiceVec, agreement), 2);
        NDArray query = queryProjection.forward(ps, new NDList(queryHidden.forward(ps, new NDList(queryIn),
                training).head().getNDArrayInternal().relu()), training).head();               // [B, C, D]

        NDArray q = query.reshape(b, c, heads, headDim).transpose(0, 2, 1, 3);                 // [B, H, C, hd]
        NDArray k = keys.reshape(b, p, heads, headDim).transpose(0, 2, 3, 1);                  // [B, H, hd, P]
        NDArray v = values.reshape(b, p, heads, headDim).transpose(0, 2, 1, 3);                // [B, H, P, hd]
        NDArray attention = q.matMul(k).div((float) Math.sqrt(headDim)).softmax(3);            // [B, H, C, P]
        NDArray pooled = attention.matMul(v).transpose(0, 2, 1, 3).reshape(b, c, d);           // [B, C, D]

        // grounding: one pointer per role over the cells, from the question and a learned role vector
        long r = config.maxRoles();
        NDArray roleIn = NDArrays.concat(new NDList(questionVec.expandDims(1).broadcast(new Shape(b, r, d)),
                mgr.eye((int) r).expandDims(0).broadcast(new Shape(b, r, r))), 2);            // [B, R, D+R]
        NDArray roleQ = roleQuery.forward(ps, new NDList(roleIn), training).head();            // [B, R, D]
        NDArray pointerLogits = roleQ.matMul(keys.transpose(0, 2, 1)).div((float) Math.sqrt(d)); // [B, R, P]
        NDArray pointer = pointerLogits.softmax(2);
        NDArray grounding = pointerLogits.logSoftmax(2);
        NDArray rolePooled = pointer.matMul(values);                                            // [B, R, D]
        NDArray roleXy = pointer.matMul(cellCoordinates(mgr, p));                               // [B, R, 2]
        NDArray roleBox = boxHead.forward(ps, new NDList(rolePooled), training).head()
                .getNDArrayInternal().sigmoid();                                               // [B, R, 5]
        NDArray named = roleMask.expandDims(2);                                                 // [B, R, 1]
        NDArray roleFeatures = NDArrays.concat(new NDList(rolePooled, roleXy), 2).mul(named);   // [B, R, D+2]
        NDArray perChoice = choiceRole.matMul(roleFeatures);                                    // [B, C, D+2]
        NDArray allRoles = roleFeatures.reshape(b, 1, r * (d + 2)).broadcast(new Shape(b, c, r * (d + 2)));

        NDArray scoreIn = NDArrays.concat(new NDList(pooled, choiceVec, agreement, questionPerChoice, perChoice,
                allRoles), 2);
        NDArray hidden = scoreHidden.forward(ps, new NDList(scoreIn), training).head()
                .getNDArrayInternal().relu();
        NDArray logits = scoreOutput.forward(ps, new NDList(hidden), training).head().reshape(b, c);
        // bilinear terms, so an answer word can flip with a comparison ("left" iff A's x < B's x) and a
        // question can weigh what its choices point at ("closer": whose object is lower in the picture)
        // where each role is in the camera's space: a 90° pinhole spreads picture x, y (in -1..1) by depth
        NDArray roleDepth = roleBox.get(new NDIndex(":, :, 4:5"));                             // [B, R, 1]
        NDArray space = NDArrays.concat(new NDList(roleXy.mul(roleDepth), roleDepth), 2);      // [B, R, 3]
        NDArray relations = relations(roleXy, roleBox, space, roleMask, r);                    // [B, K]
        NDArray choiceRel = choiceToRelations.forward(ps, new NDList(choiceVec), training).head();  // [B, C, K]
        logits = logits.add(choiceRel.matMul(relations.expandDims(2)).reshape(b, c));
        // ... and the question can flip it ("is A behind B?": yes iff A is higher in the picture)
        NDArray askedRel = questionToRelations.forward(ps, new NDList(questionVec), training).head().mul(relations);
        logits = logits.add(choiceRel.matMul(askedRel.expandDims(2)).reshape(b, c));
        // "which is closer to A, B or C?": each choice's distance to role A, in the picture and in the
        // camera's space, weighed by the question
        NDArray toAnchor = NDArrays.concat(new NDList(distanceTo(roleXy), distanceTo(space)), 2)
                .mul(named);                                                                   // [B, R, 2]
        NDArray choiceDistance = choiceRole.matMul(toAnchor);                                   // [B, C, 2]
        NDArray distanceWeight = questionToDistance.forward(ps, new NDList(questionVec), training).head(); // [B, 2]
        logits = logits.add(choiceDistance.matMul(distanceWeight.expandDims(2)).reshape(b, c));
        NDArray wanted = questionToEvidence.forward(ps, new NDList(questionVec), training).head(); // [B, D+2]
        logits = logits.add(perChoice.matMul(wanted.expandDims(2)).reshape(b, c));
        // counting: a softmax pointer finds one object, it cannot say how many there are. A question-conditioned
        // density over the cells (trained on the counted objects' boxes) sums to a count, and a choice that
        // states a number scores by how far it is from that count.
        NDArray countQ = countQuery.forward(ps, new NDList(questionVec), training).head();     // [B, D+1]
        NDArray densityLogits = cellHidden.matMul(countQ.get(new NDIndex(":, 0:{}", d)).expandDims(2))
                .reshape(b, p).div((float) Math.sqrt(d)).add(countQ.get(new NDIndex(":, {}:", d)))
                .sub(COUNT_PRIOR_LOGIT);                                                            // [B, P]
        NDArray density = Activation.softPlus(densityLogits);
        // The answer loss sees the count, not the density: the instances' boxes teach the density, and a squared
        // count error in the logits would otherwise send huge gradients from an early wild count into the
        // features every type shares (a 2,000-scene run stalled at 0.60 overall). Clamped for the same reason.
        NDArray count = density.sum(new int[] {1}, true).stopGradient().clip(0f, MAX_COUNT);   // [B, 1]
        NDArray states = choiceNumber.gte(0f).toType(DataType.FLOAT32, false);                 // [B, C]
        NDArray gate = Activation.softPlus(countGate.forward(ps, new NDList(questionVec), training).head()); // [B, 1]
        logits = logits.sub(count.sub(choiceNumber).square().mul(gate).mul(states));
        NDArray excluded = mgr.full(new Shape(b, c), Float.NEGATIVE_INFINITY);
        return new NDList(NDArrays.where(choiceMask, logits, excluded), grounding, roleBox, density);
    }

    /**
     * Relation features of R roles: each role's (x, y), box bottom, height, width and depth; for every
     * pair (dx, dy, distance), the differences of their bottoms, heights and depths (near objects sit
     * lower, look bigger and are less deep), and their distance and offset in the camera's space (x and
     * y spread by depth, as a 90° pinhole does).
     */
    static int relations(int roles) {
        return 6 * roles + 10 * roles * (roles - 1) / 2;
    }

    /** Each role's distance to role 0 (the anchor), [B, R, 1]. */
    private static NDArray distanceTo(NDArray points) {
        return points.sub(points.get(new NDIndex(":, 0:1, :"))).square().sum(new int[] {2}, true).add(1e-6f).sqrt();
    }

    private static NDArray relations(NDArray roleXy, NDArray roleBox, NDArray space, NDArray roleMask, long r) {
        NDArray xy = roleXy.mul(roleMask.expandDims(2));                                       // [B, R, 2]
        NDArray y0 = roleBox.get(new NDIndex(":, :, 1:2"));
        NDArray bottom = roleBox.get(new NDIndex(":, :, 3:4"));
        NDArray height = bottom.sub(y0);
        NDArray width = roleBox.get(new NDIndex(":, :, 2:3")).sub(roleBox.get(new NDIndex(":, :, 0:1")));
        NDArray depth = roleBox.get(new NDIndex(":, :, 4:5"));
        NDArray extent = NDArrays.concat(new NDList(bottom, height, width, depth), 2)
                .mul(roleMask.expandDims(2));                                                  // [B, R, 4]
        NDList parts = new NDList();
        long b = xy.getShape().get(0);
        parts.add(xy.reshape(b, 2 * r));
        parts.add(extent.reshape(b, 4 * r));
        for (long i = 0; i < r; i++) {
            for (long j = i + 1; j < r; j++) {
                NDArray both = roleMask.get(new NDIndex(":, {}", i)).mul(roleMask.get(new NDIndex(":, {}", j)))
                        .reshape(b, 1);
                NDArray diff = xy.get(new NDIndex(":, {}, :", i)).sub(xy.get(new NDIndex(":, {}, :", j))).mul(both);
                parts.add(diff);
                parts.add(diff.square().sum(new int[] {1}, true).add(1e-6f).sqrt().mul(both));
                parts.add(extent.get(new NDIndex(":, {}, 0:2", i)).sub(extent.get(new NDIndex(":, {}, 0:2", j)))
                        .mul(both));
                parts.add(extent.get(new NDIndex(":, {}, 3:4", i)).sub(extent.get(new NDIndex(":, {}, 3:4", j)))
                        .mul(both));
                NDArray apart = space.get(new NDIndex(":, {}, :", i)).sub(space.get(new NDIndex(":, {}, :", j)));
                parts.add(apart.square().sum(new int[] {1}, true).add(1e-6f).sqrt().mul(both));
                // and along each camera axis: "whose centre is higher in the room" is the camera-space y
                // difference (picture y spread by depth), which no picture-plane feature gives
                parts.add(apart.mul(both));
            }
        }
        return NDArrays.concat(parts, 1);
    }

    /** (x, y) of each grid cell's centre in [-1, 1], row-major like the cells, [P, 2]. */
    private static NDArray cellCoordinates(NDManager mgr, long p) {
        int g = (int) Math.round(Math.sqrt(p));
        float[] xy = new float[2 * g * g];
        for (int y = 0; y < g; y++) {
            for (int x = 0; x < g; x++) {
                xy[2 * (y * g + x)] = g == 1 ? 0 : -1f + 2f * x / (g - 1);
                xy[2 * (y * g + x) + 1] = g == 1 ? 0 : -1f + 2f * y / (g - 1);
            }
        }
        return mgr.create(xy, new Shape(p, 2));
    }

    /** Runs the shared CNN once over all real images and lays out per-cell features, [B, P, 3F+3]. */
    private NDArray cellFeatures(ParameterStore ps, NDArray images, NDArray secondIndex, NDArray hasSecond,
            long b, boolean training) {
        NDArray grids = cnn.forward(ps, new NDList(images), training).head();                 // [N, F, g, g]
        Shape gridShape = grids.getShape();
        long f = gridShape.get(1);
        long g = gridShape.get(2);
        NDManager mgr = images.getManager();
        NDArray first = grids.get(new NDIndex().addSliceDim(0, b));
        // Row N of the padded stack is "no second view": an all-zero grid, whatever the CNN would say.
        NDArray padded = grids.concat(mgr.zeros(new Shape(1, f, g, g), grids.getDataType()), 0);
        NDArray second = padded.get(new NDIndex("{}", secondIndex));
        NDArray flag = hasSecond.reshape(b, 1, 1, 1);
        NDArray change = second.sub(first).mul(flag);

        Shape plane = new Shape(b, 1, g, g);
        NDArray xs = mgr.linspace(-1f, 1f, (int) g).reshape(1, 1, 1, g).broadcast(plane);
        NDArray ys = mgr.linspace(-1f, 1f, (int) g).reshape(1, 1, g, 1).broadcast(plane);
        NDArray flags = flag.broadcast(plane);
        NDArray stacked = NDArrays.concat(new NDList(first, second, change, xs, ys, flags), 1);
        return stacked.reshape(b, 3 * f + CELL_EXTRAS, g * g).transpose(0, 2, 1);
    }

    /** GRU over the question; the state after the last real token summarises it (trailing pads ignored). */
    private NDArray encodeQuestion(ParameterStore ps, NDArray question, boolean training) {
        long len = question.getShape().get(1);
        NDArray embedded = tokens.forward(ps, new NDList(question), training).head();           // [B, Lq, E]
        NDArray states = questionRnn.forward(ps, new NDList(embedded), training).head();        // [B, Lq, D]
        NDArray lengths = question.gt(0).toType(DataType.INT64, false).sum(new int[] {1}, true); // [B, 1]
        NDArray positions = question.getManager().arange((int) len).toType(DataType.INT64, false)
                .reshape(1, len);
        NDArray last = positions.eq(lengths.sub(1)).toType(states.getDataType(), false);         // [B, Lq]
        return states.mul(last.expandDims(2)).sum(new int[] {1});
    }

    /** Mean of (token + position) embeddings over each choice's real tokens, then a projection. */
    private NDArray encodeChoices(ParameterStore ps, NDArray choices, boolean training) {
        NDArray embedded = tokens.forward(ps, new NDList(choices), training).head();            // [B, C, Lc, E]
        NDArray positions = ps.getValue(choicePositions, choices.getDevice(), training);        // [Lc, E]
        NDArray real = choices.gt(0).toType(embedded.getDataType(), false).expandDims(3);       // [B, C, Lc, 1]
        NDArray summed = embedded.add(positions).mul(real).sum(new int[] {2});                  // [B, C, E]
        NDArray counts = real.sum(new int[] {2}).maximum(1f);                                   // [B, C, 1]
        return choiceProjection.forward(ps, new NDList(summed.div(counts)), training).head()
                .getNDArrayInternal().relu();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape choices = inputShapes[IN_CHOICES];
        long g = config.gridSize();
        return new Shape[] {new Shape(choices.get(0), choices.get(1)),
            new Shape(choices.get(0), config.maxRoles(), g * g), new Shape(choices.get(0), config.maxRoles(), BatchAssembler.BOX_VALUES),
            new Shape(choices.get(0), g * g)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape question = inputShapes[IN_QUESTION];
        Shape choices = inputShapes[IN_CHOICES];
        long b = question.get(0);
        long c = choices.get(1);
        long d = config.hiddenDim();
        long e = config.embedDim();
        long g = config.gridSize();

        cnn.initialize(manager, dataType, inputShapes[IN_IMAGES]);
        tokens.initialize(manager, dataType, question);
        questionRnn.initialize(manager, dataType, new Shape(b, question.get(1), e));
        choiceProjection.initialize(manager, dataType, new Shape(b, c, e));
        cellProjection.initialize(manager, dataType, new Shape(b, g * g, 3L * gridChannels + CELL_EXTRAS));
        keyProjection.initialize(manager, dataType, new Shape(b, g * g, d));
        valueProjection.initialize(manager, dataType, new Shape(b, g * g, d));
        queryHidden.initialize(manager, dataType, new Shape(b, c, 3 * d));
        queryProjection.initialize(manager, dataType, new Shape(b, c, d));
        long r = config.maxRoles();
        scoreHidden.initialize(manager, dataType, new Shape(b, c, 4 * d + (d + 2) + r * (d + 2)));
        scoreOutput.initialize(manager, dataType, new Shape(b, c, d));
        roleQuery.initialize(manager, dataType, new Shape(b, r, d + r));
        choiceToRelations.initialize(manager, dataType, new Shape(b, c, d));
        questionToEvidence.initialize(manager, dataType, new Shape(b, d));
        questionToRelations.initialize(manager, dataType, new Shape(b, d));
        questionToDistance.initialize(manager, dataType, new Shape(b, d));
        boxHead.initialize(manager, dataType, new Shape(b, r, d));
        countQuery.initialize(manager, dataType, new Shape(b, d));
        countGate.initialize(manager, dataType, new Shape(b, d));
    }

    /** Trained lookup table from hashed token id to vector (row 0 is the padding id, masked where it matters). */
    static final class TokenEmbedding extends AbstractBlock {
        private final Parameter weight;
        private final int dim;

        TokenEmbedding(int buckets, int dim) {
            super(VERSION);
            this.dim = dim;
            this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(buckets, dim)).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray ids = inputs.head();
            return Embedding.embedding(ids, ps.getValue(weight, ids.getDevice(), training), SparseFormat.DENSE);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0].add(dim)};
        }
    }
}
