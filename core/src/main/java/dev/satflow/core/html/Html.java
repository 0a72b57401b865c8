package dev.satflow.core.html;

/** The little HTML every satflow page shares: one stylesheet, escaping, and file-safe names. */
public final class Html {
    private Html() {}

    /** Doctype, title and the shared stylesheet, up to and including {@code <body>}. */
    public static String head(String title) {
        return "<!doctype html><html><head><meta charset=utf-8><title>" + esc(title) + "</title><style>"
                + "body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px}"
                + "table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}"
                + ".row{display:flex;flex-wrap:wrap;gap:12px}.card{width:270px;border:1px solid #ddd;padding:6px}"
                + ".card img{width:128px;margin-right:4px}.right{color:#075;font-weight:bold}.wrong{color:#b00}"
                + ".note{color:#666;font-size:90%}code{background:#f3f3f3}"
                + ".frame{position:relative;display:inline-block}.frame svg{position:absolute;left:0;top:0}"
                + ".wide{width:auto}.small{font-size:85%}</style></head><body>\n";
    }

    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A string as a file name: anything but letters, digits, dot, dash and underscore becomes '_'. */
    public static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
