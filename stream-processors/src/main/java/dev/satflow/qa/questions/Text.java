package dev.satflow.qa.questions;

import java.util.Locale;

/** Small English helpers for question text. */
final class Text {
    private Text() {}

    /** "red mug" -> "the red mug". */
    static String the(String description) {
        return description.toLowerCase(Locale.ROOT).startsWith("the ") ? description : "the " + description;
    }

    /** An option naming an object: its description, without the article or a mark suffix ("(marked A)"). */
    static String bare(String name) {
        String s = name.startsWith("the ") ? name.substring(4) : name;
        int paren = s.indexOf(" (");
        return paren < 0 ? s : s.substring(0, paren);
    }

    /** Every "left" becomes "right" and back ("rotated left" -> "rotated right"). */
    static String swapSides(String s) {
        return s.replace("left", "\u0001").replace("right", "left").replace("\u0001", "right");
    }

    static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String opposite(String word) {
        return switch (word) {
            case "left" -> "right";
            case "right" -> "left";
            case "above" -> "below";
            case "below" -> "above";
            case "yes" -> "no";
            case "no" -> "yes";
            case "closer" -> "further away";
            case "further away" -> "closer";
            default -> throw new IllegalArgumentException("no opposite for '" + word + "'");
        };
    }

    /** English plural of a category name; the last word of a compound takes it ("tv stands", "bookshelves"). */
    static String plural(String noun) {
        int sp = noun.lastIndexOf(' ');
        String head = noun.substring(0, sp + 1);
        String w = noun.substring(sp + 1);
        String p;
        if (w.endsWith("shelf")) {
            p = w.substring(0, w.length() - 1) + "ves";
        } else if (w.endsWith("s") || w.endsWith("x") || w.endsWith("ch") || w.endsWith("sh")) {
            p = w + "es";
        } else if (w.endsWith("y") && w.length() > 1 && "aeiou".indexOf(w.charAt(w.length() - 2)) < 0) {
            p = w.substring(0, w.length() - 1) + "ies";
        } else {
            p = w + "s";
        }
        return head + p;
    }
}
