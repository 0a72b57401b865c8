package dev.satflow.core.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.satflow.schema.CameraPose;
import dev.satflow.schema.Episode;
import dev.satflow.schema.Material;
import dev.satflow.schema.RenderSettings;
import dev.satflow.schema.Rgb;
import dev.satflow.schema.Room;
import dev.satflow.schema.SceneObject;
import dev.satflow.schema.SceneSpec;
import dev.satflow.schema.Vec2;
import dev.satflow.schema.Vec3;
import dev.satflow.schema.View;
import java.util.List;
import org.junit.jupiter.api.Test;

class SceneSpecValidatorTest {

    static SceneSpec valid() {
        Material m = Material.newBuilder().setName("paint").setColor(new Rgb(0.8f, 0.1f, 0.1f)).build();
        return SceneSpec.newBuilder()
                .setSceneId("s-1").setSeed(1).setGeneratorVersion("t")
                .setRoom(Room.newBuilder().setFloor(List.of(new Vec2(-2f, -2f), new Vec2(2f, -2f), new Vec2(2f, 2f),
                        new Vec2(-2f, 2f))).build())
                .setObjects(List.of(SceneObject.newBuilder().setId(1).setCategory("crate").setDescription("red crate")
                        .setMaterial(m).setPosition(new Vec3(0f, 0.25f, -1f)).setSize(new Vec3(0.5f, 0.5f, 0.5f))
                        .build()))
                .setViews(List.of(View.newBuilder().setViewId("v0")
                        .setCamera(CameraPose.newBuilder().setPosition(new Vec3(0f, 1.5f, 1.5f)).build()).build()))
                .setEpisodes(List.of(Episode.newBuilder().setEpisodeId("e0").setFromView("v0").build()))
                .setRender(RenderSettings.newBuilder().build())
                .build();
    }

    @Test
    void acceptsAValidSpec() {
        SceneSpec s = valid();
        assertSame(s, SceneSpecValidator.validate(s));
    }

    @Test
    void namesFieldAndValueOfEachViolation() {
        SceneSpec nan = valid();
        nan.getObjects().get(0).getPosition().setX(Float.NaN);
        assertEquals("objects[0].position.x = NaN: must be a finite number",
                assertThrows(ContractViolation.class, () -> SceneSpecValidator.validate(nan)).getMessage());

        SceneSpec flat = valid();
        flat.getObjects().get(0).getSize().setY(0f);
        ContractViolation v = assertThrows(ContractViolation.class, () -> SceneSpecValidator.validate(flat));
        assertEquals("objects[0].size.y", v.field());

        SceneSpec dangling = valid();
        dangling.getEpisodes().get(0).setToView("v9");
        assertEquals("episodes[0].toView",
                assertThrows(ContractViolation.class, () -> SceneSpecValidator.validate(dangling)).field());

        SceneSpec noId = valid();
        noId.setSceneId("");
        assertEquals("sceneId", assertThrows(ContractViolation.class, () -> SceneSpecValidator.validate(noId)).field());

        SceneSpec badFov = valid();
        badFov.getViews().get(0).getCamera().setFovDeg(0f);
        assertEquals("views[0].camera.fovDeg",
                assertThrows(ContractViolation.class, () -> SceneSpecValidator.validate(badFov)).field());
    }

    @Test
    void rejectsNullEmptyAndOverfullRooms() {
        assertEquals("value = null: a scene record needs a value",
                assertThrows(ContractViolation.class, () -> SceneSpecValidator.validate(null)).getMessage());
        SceneSpec empty = valid();
        empty.setObjects(List.of());
        assertEquals("objects = []: needs at least one object",
                assertThrows(ContractViolation.class, () -> SceneSpecValidator.validate(empty)).getMessage());
        SceneSpec full = valid();
        SceneObject o = full.getObjects().get(0);
        List<SceneObject> many = new java.util.ArrayList<>();
        for (int i = 1; i <= SceneSpecValidator.MAX_OBJECTS + 1; i++) {
            many.add(SceneObject.newBuilder(o).setId(i).build());
        }
        full.setObjects(many);
        assertEquals("objects = 401 objects: at most 400",
                assertThrows(ContractViolation.class, () -> SceneSpecValidator.validate(full)).getMessage());
        full.setObjects(many.subList(0, SceneSpecValidator.MAX_OBJECTS));
        assertSame(full, SceneSpecValidator.validate(full));
    }
}
