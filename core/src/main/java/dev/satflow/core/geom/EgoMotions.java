package dev.satflow.core.geom;

import dev.satflow.schema.CameraPose;
import dev.satflow.schema.EgoMotion;

/** Applies an episode's ego motion to a camera pose: rotate, move forward, counter-rotate. */
public final class EgoMotions {
    private EgoMotions() {}

    public static CameraPose apply(CameraPose from, EgoMotion m) {
        double yaw = from.getYawDeg() + m.getRotateDeg();
        Vec3d pos = Vec3d.of(from.getPosition()).plus(Yaw.forward(yaw).times(m.getForwardM()));
        yaw += m.getCounterRotateDeg();
        return CameraPose.newBuilder(from)
                .setPosition(pos.toAvro())
                .setYawDeg((float) Yaw.wrap(yaw))
                .build();
    }
}
