package dev.satflow.producers.render;

/**
 * A scene object whose category the renderer's catalog does not know (a spec from a newer
 * generator, say). The render loop routes the scene to the dead-letter topic.
 */
public final class UnknownCategoryException extends IllegalArgumentException {
    private final String category;
    private final int objectId;

    public UnknownCategoryException(String sceneId, int objectId, String category) {
        super("unknown object category '" + category + "' (object id " + objectId + ", scene '" + sceneId + "')");
        this.category = category;
        this.objectId = objectId;
    }

    public String category() {
        return category;
    }

    public int objectId() {
        return objectId;
    }
}
