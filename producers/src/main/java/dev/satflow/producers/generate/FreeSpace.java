package dev.satflow.producers.generate;

import dev.satflow.core.geom.OrientedBox;
import dev.satflow.core.geom.Vec3d;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Where a person (a camera on legs) can stand: an occupancy grid of {@value #CELL} m cells over the
 * floor. A cell is walkable when its centre is inside the room, at least {@value #AGENT_RADIUS} m
 * from the walls and outside every furniture footprint grown by that radius. Cameras, ego-motion
 * end points and perspective probes are taken from the largest 4-connected walkable region, the
 * "reachable" space; placement keeps that region above a share of the floor.
 */
final class FreeSpace {
    static final double CELL = 0.1;
    static final double AGENT_RADIUS = 0.25;

    private final FloorPlan plan;
    private final double x0;
    private final double z0;
    private final int nx;
    private final int nz;
    private final boolean[] inRoom;
    private final int[] blockedBy;
    private int[] region;
    private int regionCells = -1;

    FreeSpace(FloorPlan plan) {
        this.plan = plan;
        this.x0 = plan.minX();
        this.z0 = plan.minZ();
        this.nx = (int) Math.ceil((plan.maxX() - x0) / CELL);
        this.nz = (int) Math.ceil((plan.maxZ() - z0) / CELL);
        this.inRoom = new boolean[nx * nz];
        this.blockedBy = new int[nx * nz];
        for (int j = 0; j < nz; j++) {
            for (int i = 0; i < nx; i++) {
                inRoom[j * nx + i] = plan.containsWithClearance(cx(i), cz(j), AGENT_RADIUS);
            }
        }
    }

    private double cx(int i) {
        return x0 + (i + 0.5) * CELL;
    }

    private double cz(int j) {
        return z0 + (j + 0.5) * CELL;
    }

    /** Marks the cells an obstacle's footprint (grown by the agent radius) covers. */
    void block(OrientedBox box) {
        mark(box, 1);
    }

    void unblock(OrientedBox box) {
        mark(box, -1);
    }

    private void mark(OrientedBox box, int delta) {
        OrientedBox grown = new OrientedBox(box.center(),
                new Vec3d(box.size().x() + 2 * AGENT_RADIUS, box.size().y(), box.size().z() + 2 * AGENT_RADIUS),
                box.yawDeg());
        double[][] fp = grown.footprint(0);
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minZ = Double.MAX_VALUE;
        double maxZ = -Double.MAX_VALUE;
        for (double[] c : fp) {
            minX = Math.min(minX, c[0]);
            maxX = Math.max(maxX, c[0]);
            minZ = Math.min(minZ, c[1]);
            maxZ = Math.max(maxZ, c[1]);
        }
        int i0 = Math.max(0, (int) Math.floor((minX - x0) / CELL));
        int i1 = Math.min(nx - 1, (int) Math.floor((maxX - x0) / CELL));
        int j0 = Math.max(0, (int) Math.floor((minZ - z0) / CELL));
        int j1 = Math.min(nz - 1, (int) Math.floor((maxZ - z0) / CELL));
        for (int j = j0; j <= j1; j++) {
            for (int i = i0; i <= i1; i++) {
                if (grown.footprintContains(cx(i), cz(j))) {
                    blockedBy[j * nx + i] += delta;
                }
            }
        }
        regionCells = -1;
    }

    private boolean walkableCell(int k) {
        return inRoom[k] && blockedBy[k] == 0;
    }

    private int cellOf(double x, double z) {
        int i = (int) Math.floor((x - x0) / CELL);
        int j = (int) Math.floor((z - z0) / CELL);
        if (i < 0 || j < 0 || i >= nx || j >= nz) {
            return -1;
        }
        return j * nx + i;
    }

    /** Labels the largest 4-connected walkable region (lowest cell index wins ties, so it is deterministic). */
    private void label() {
        if (regionCells >= 0) {
            return;
        }
        int[] comp = new int[nx * nz];
        Arrays.fill(comp, -1);
        int best = -1;
        int bestSize = 0;
        int label = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < comp.length; start++) {
            if (comp[start] >= 0 || !walkableCell(start)) {
                continue;
            }
            int size = 0;
            comp[start] = label;
            queue.add(start);
            while (!queue.isEmpty()) {
                int k = queue.poll();
                size++;
                int i = k % nx;
                int j = k / nx;
                if (i > 0) {
                    visit(k - 1, label, comp, queue);
                }
                if (i < nx - 1) {
                    visit(k + 1, label, comp, queue);
                }
                if (j > 0) {
                    visit(k - nx, label, comp, queue);
                }
                if (j < nz - 1) {
                    visit(k + nx, label, comp, queue);
                }
            }
            if (size > bestSize) {
                bestSize = size;
                best = label;
            }
            label++;
        }
        for (int k = 0; k < comp.length; k++) {
            comp[k] = comp[k] == best ? 1 : 0;
        }
        region = comp;
        regionCells = bestSize;
    }

    private void visit(int k, int label, int[] comp, ArrayDeque<Integer> queue) {
        if (comp[k] < 0 && walkableCell(k)) {
            comp[k] = label;
            queue.add(k);
        }
    }

    /** Share of the floor area the reachable region covers. */
    double reachableShare() {
        label();
        return regionCells * CELL * CELL / plan.area();
    }

    int reachableCells() {
        label();
        return regionCells;
    }

    /** Whether (x, z) lies in a cell of the reachable region. */
    boolean reachable(double x, double z) {
        label();
        int k = cellOf(x, z);
        return k >= 0 && region[k] == 1;
    }

    /** Whether the straight walk from a to b stays in the reachable region (checked every 5 cm). */
    boolean walkable(Vec3d a, Vec3d b) {
        double d = a.horizontalDistance(b);
        int steps = Math.max(1, (int) Math.ceil(d / 0.05));
        for (int s = 0; s <= steps; s++) {
            double t = (double) s / steps;
            if (!reachable(a.x() + (b.x() - a.x()) * t, a.z() + (b.z() - a.z()) * t)) {
                return false;
            }
        }
        return true;
    }

    /** A uniformly drawn point of the reachable region (a random cell, jittered inside it). */
    Vec3d sampleReachable(Rng rng) {
        label();
        if (regionCells == 0) {
            return null;
        }
        int target = rng.nextInt(regionCells);
        for (int k = 0; k < region.length; k++) {
            if (region[k] == 1 && target-- == 0) {
                int i = k % nx;
                int j = k / nx;
                return new Vec3d(cx(i) + rng.uniform(-0.4, 0.4) * CELL, 0, cz(j) + rng.uniform(-0.4, 0.4) * CELL);
            }
        }
        throw new IllegalStateException("unreachable: region count and cells disagree");
    }
}
