package dev.satflow.trainer.synth;

import dev.satflow.trainer.data.Family;
import dev.satflow.trainer.data.TrainingExample;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Tiny 2D stand-ins for rendered rooms, drawn with java.awt and encoded as PNG, whose answers depend on where
 * things are. Used by the trainer's tests (can the model learn spatial answers at all?) and by
 * {@link dev.satflow.trainer.TrainerBench} (realistic decode cost without a renderer). Deterministic for a seed;
 * not thread-safe.
 */
public final class SyntheticSpatialTasks {

    /** Shapes the tasks draw; each has a fixed colour word so questions can name it. */
    public enum Shape2d {
        RED_SQUARE("red square", new Color(220, 40, 40)),
        BLUE_CIRCLE("blue circle", new Color(40, 80, 220)),
        GREEN_TRIANGLE("green triangle", new Color(30, 170, 60));

        private final String words;
        private final Color colour;

        Shape2d(String words, Color colour) {
            this.words = words;
            this.colour = colour;
        }

        public String words() {
            return words;
        }
    }

    private static final String[] COLOUR_NAMES = {"red", "green", "blue", "yellow", "purple", "orange"};
    private static final Color[] COLOURS = {
        new Color(220, 40, 40), new Color(30, 170, 60), new Color(40, 80, 220),
        new Color(230, 210, 40), new Color(140, 50, 170), new Color(240, 140, 30)};

    private final int size;
    private final Random random;
    private long counter;

    public SyntheticSpatialTasks(int size, long seed) {
        if (size < 16) {
            throw new IllegalArgumentException("size must be at least 16");
        }
        this.size = size;
        this.random = new Random(seed);
    }

    /** Static, one image: "Is the A to the left or right of the B?" with A/B order varied. */
    public TrainingExample leftRight() {
        int[] xs = separatedXs(size / 5);
        Placed square = place(Shape2d.RED_SQUARE, xs[0]);
        Placed circle = place(Shape2d.BLUE_CIRCLE, xs[1]);
        BufferedImage image = canvas();
        draw(image, square);
        draw(image, circle);
        boolean squareFirst = random.nextBoolean();
        Placed subject = squareFirst ? square : circle;
        Placed reference = squareFirst ? circle : square;
        String question = "Is the " + subject.shape.words + " to the left or right of the " + reference.shape.words
                + "?";
        String answer = subject.x < reference.x ? "left" : "right";
        // like the QA records: the subject is role A (0), the reference role B (1), with their boxes
        return binary(Family.STATIC, "left_right", question, answer, "left", "right", List.of(png(image)),
                List.of(box(0, subject), box(1, reference)));
    }

    /** Dynamic, two images: the green triangle shifts left or right; two other shapes stay put. */
    public TrainingExample moved() {
        int shift = size / 5 + random.nextInt(Math.max(1, size / 6));
        boolean toLeft = random.nextBoolean();
        int margin = size / 8;
        int lo = toLeft ? margin + shift : margin;
        int hi = toLeft ? size - margin : size - margin - shift;
        int x0 = lo + random.nextInt(Math.max(1, hi - lo));
        Placed before = place(Shape2d.GREEN_TRIANGLE, x0);
        Placed after = new Placed(before.shape, toLeft ? x0 - shift : x0 + shift, before.y, before.radius);
        Placed a = place(Shape2d.RED_SQUARE, margin + random.nextInt(size - 2 * margin));
        Placed b = place(Shape2d.BLUE_CIRCLE, margin + random.nextInt(size - 2 * margin));
        BufferedImage first = canvas();
        BufferedImage second = copyOf(first);
        for (Placed p : List.of(a, b)) {
            draw(first, p);
            draw(second, p);
        }
        draw(first, before);
        draw(second, after);
        String question = "Did the green triangle move left or right between the two images?";
        return binary(Family.DYNAMIC, "object_movement", question, toLeft ? "left" : "right", "left", "right",
                List.of(png(first), png(second)), List.of(box(0, before)));
    }

    /** Dynamic, two images, 3 choices: which of the three shapes moved? */
    public TrainingExample whichMoved() {
        Shape2d[] shapes = Shape2d.values();
        int mover = random.nextInt(shapes.length);
        int margin = size / 8;
        BufferedImage first = canvas();
        BufferedImage second = copyOf(first);
        for (int i = 0; i < shapes.length; i++) {
            Placed p = place(shapes[i], margin + random.nextInt(size - 2 * margin));
            draw(first, p);
            if (i == mover) {
                int shift = size / 5 * (p.x < size / 2 ? 1 : -1);
                p = new Placed(p.shape, p.x + shift, p.y, p.radius);
            }
            draw(second, p);
        }
        List<String> choices = new ArrayList<>();
        for (Shape2d s : shapes) {
            choices.add("the " + s.words);
        }
        String correct = choices.get(mover);
        shuffle(choices);
        return new TrainingExample(nextId(), Family.DYNAMIC, "which_moved", "Which object moved?", choices,
                choices.indexOf(correct), List.of(png(first), png(second)));
    }

    /**
     * Static, one image, choices 0 to 4 like satflow's counting questions: "How many red squares are there?"
     * with 0 to 4 of them among 0 to 3 other shapes, none overlapping; each counted square comes with its box.
     */
    public TrainingExample counting() {
        Shape2d[] shapes = Shape2d.values();
        Shape2d counted = shapes[random.nextInt(shapes.length)];
        int n = random.nextInt(5);
        int others = random.nextInt(4);
        List<Placed> placed = new ArrayList<>();
        List<TrainingExample.Grounding> boxes = new ArrayList<>();
        int radius = Math.max(3, size / 14);
        while (placed.size() < n + others) {
            Shape2d shape = placed.size() < n ? counted : shapes[(counted.ordinal() + 1 + random.nextInt(2)) % 3];
            int x = radius + random.nextInt(size - 2 * radius);
            int y = radius + random.nextInt(size - 2 * radius);
            Placed p = new Placed(shape, x, y, radius);
            if (placed.stream().noneMatch(q -> Math.abs(q.x - x) < 2 * radius + 2 && Math.abs(q.y - y) < 2 * radius + 2)) {
                placed.add(p);
                if (shape == counted) {
                    boxes.add(box(TrainingExample.Grounding.COUNTED, p));
                }
            }
        }
        BufferedImage image = canvas();
        placed.forEach(p -> draw(image, p));
        List<String> choices = List.of("0", "1", "2", "3", "4");
        return new TrainingExample(nextId(), Family.STATIC, "counting", "How many " + counted.words + "s are there?",
                choices, n, List.of(png(image)), List.of(), boxes, List.of());
    }

    /** Static, one image, {@code choiceCount} colour names (2..6): "What colour is the square?" */
    public TrainingExample colour(int choiceCount) {
        if (choiceCount < 2 || choiceCount > COLOURS.length) {
            throw new IllegalArgumentException("choiceCount must be 2.." + COLOURS.length);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < COLOURS.length; i++) {
            order.add(i);
        }
        shuffle(order);
        List<Integer> picked = order.subList(0, choiceCount);
        int answer = random.nextInt(choiceCount);
        BufferedImage image = canvas();
        Graphics2D g = image.createGraphics();
        g.setColor(COLOURS[picked.get(answer)]);
        int side = size / 3;
        g.fillRect(random.nextInt(size - side), random.nextInt(size - side), side, side);
        g.dispose();
        List<String> choices = new ArrayList<>();
        for (int i : picked) {
            choices.add(COLOUR_NAMES[i]);
        }
        return new TrainingExample(nextId(), Family.STATIC, "colour", "What colour is the square?", choices, answer,
                List.of(png(image)));
    }

    private TrainingExample binary(Family family, String type, String question, String answer, String a, String b,
            List<byte[]> images, List<TrainingExample.Grounding> grounding) {
        List<String> choices = new ArrayList<>(List.of(a, b));
        shuffle(choices);
        return new TrainingExample(nextId(), family, type, question, choices, choices.indexOf(answer), images,
                List.of(), grounding, List.of());
    }

    /** Where a shape is, as a fraction of the image. */
    private TrainingExample.Grounding box(int role, Placed p) {
        float s = size;
        return new TrainingExample.Grounding(role, Math.max(0, p.x - p.radius) / s, Math.max(0, p.y - p.radius) / s,
                Math.min(size, p.x + p.radius) / s, Math.min(size, p.y + p.radius) / s);
    }

    private String nextId() {
        return "synth-" + (counter++);
    }

    private <T> void shuffle(List<T> list) {
        // Collections.shuffle(list, random) would do; spelled out so the sequence is obviously seed-bound.
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    /** Two x centres at least {@code gap} apart, in random order. */
    private int[] separatedXs(int gap) {
        int margin = size / 8;
        while (true) {
            int a = margin + random.nextInt(size - 2 * margin);
            int b = margin + random.nextInt(size - 2 * margin);
            if (Math.abs(a - b) >= gap) {
                return new int[] {a, b};
            }
        }
    }

    private Placed place(Shape2d shape, int x) {
        int radius = Math.max(3, size / 12 + random.nextInt(Math.max(1, size / 24)));
        int y = radius + random.nextInt(Math.max(1, size - 2 * radius));
        return new Placed(shape, x, y, radius);
    }

    private BufferedImage canvas() {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        int base = 180 + random.nextInt(50);
        g.setColor(new Color(base, base - random.nextInt(20), base - random.nextInt(30)));
        g.fillRect(0, 0, size, size);
        // A floor band, like the lower part of a room view.
        g.setColor(new Color(base - 60, base - 70, base - 80));
        g.fillRect(0, size * 2 / 3, size, size - size * 2 / 3);
        g.dispose();
        return image;
    }

    private static BufferedImage copyOf(BufferedImage source) {
        BufferedImage copy = new BufferedImage(source.getWidth(), source.getHeight(), source.getType());
        Graphics2D g = copy.createGraphics();
        g.drawImage(source, 0, 0, null);
        g.dispose();
        return copy;
    }

    private static void draw(BufferedImage image, Placed p) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(p.shape.colour);
        int r = p.radius;
        switch (p.shape) {
            case RED_SQUARE -> g.fillRect(p.x - r, p.y - r, 2 * r, 2 * r);
            case BLUE_CIRCLE -> g.fillOval(p.x - r, p.y - r, 2 * r, 2 * r);
            case GREEN_TRIANGLE -> g.fillPolygon(new Polygon(
                    new int[] {p.x - r, p.x + r, p.x}, new int[] {p.y + r, p.y + r, p.y - r}, 3));
        }
        g.dispose();
    }

    private static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Placed(Shape2d shape, int x, int y, int radius) {
    }
}
