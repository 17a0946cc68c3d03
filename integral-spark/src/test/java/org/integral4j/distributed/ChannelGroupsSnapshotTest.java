package org.integral4j.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import java.util.Random;
import org.integral4j.grid.GridFamily;
import org.integral4j.grid.SizeDistribution;
import org.integral4j.grid.TrainableGrid;
import org.integral4j.layers.grid.ChannelGroup;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.layers.grid.CompositeChannelGroup;
import org.integral4j.layers.grid.PartitionedChannelGroup;
import org.junit.jupiter.api.Test;

class ChannelGroupsSnapshotTest {

    private static ChannelGroups sample() {
        ChannelGroups g = new ChannelGroups(3);
        g.add("a", 16, GridFamily.LEGENDRE).resize(10);
        g.addPartitioned("b", 12, 3).setDistribution(SizeDistribution.uniform(6, 12));
        g.add("c", 8).setDistribution(SizeDistribution.normal(4, 8));
        g.addComposite("cat", "a", "c");
        ChannelGroup t = g.add("t", 6);
        t.makeTrainable(TrainableGrid.Endpoints.PINNED);
        t.stepGridInPlace(new double[] {0, 0.01, -0.02, 0.015, 0.0, 0});
        return g;
    }

    @Test
    void restoresEveryKindOfGroupInItsState() {
        ChannelGroups original = sample();
        ChannelGroups copy = ChannelGroupsSnapshot.of(original).restore(7);
        assertNotSame(original, copy);
        assertEquals(original.names(), copy.names());
        for (String name : original.names()) {
            ChannelGroup o = original.get(name);
            ChannelGroup c = copy.get(name);
            assertEquals(o.getClass(), c.getClass(), name);
            assertEquals(o.fullSize(), c.fullSize(), name);
            assertEquals(o.size(), c.size(), name);
            assertArrayEquals(o.grid().points(), c.grid().points(), 0.0, name);
            assertEquals(o.distribution(), c.distribution(), name);
            assertEquals(o.isTrainable(), c.isTrainable(), name);
        }
        assertEquals(3, ((PartitionedChannelGroup) copy.get("b")).parts());
        assertEquals(GridFamily.LEGENDRE, copy.get("a").family());
        assertEquals(2, ((CompositeChannelGroup) copy.get("cat")).parts().size());
        assertEquals(TrainableGrid.Endpoints.PINNED, copy.get("t").trainableGrid().endpoints());
    }

    @Test
    void survivesJavaSerialisationAsSparkSendsIt() throws Exception {
        ChannelGroupsSnapshot snapshot = ChannelGroupsSnapshot.of(sample());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(snapshot);
        }
        ChannelGroupsSnapshot back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (ChannelGroupsSnapshot) in.readObject();
        }
        assertEquals(snapshot.toString(), back.toString());
        ChannelGroups a = snapshot.restore(1);
        ChannelGroups b = back.restore(1);
        for (String name : a.names()) {
            assertArrayEquals(a.get(name).grid().points(), b.get(name).grid().points(), 0.0, name);
        }
        assertEquals(Map.of("a", 10, "b", 12, "c", 8, "t", 6), back.sizes());
        assertTrue(back.hasTrainableGrids());
        assertTrue(back.hasDistributions());
    }

    @Test
    void restoredGroupsAreIndependentOfTheOriginal() {
        ChannelGroups original = sample();
        ChannelGroupsSnapshot snapshot = ChannelGroupsSnapshot.of(original);
        ChannelGroups copy = snapshot.restore(1);
        copy.get("a").resize(4);
        copy.drawTrainingSizes();
        assertEquals(10, original.get("a").size());
        assertEquals(12, original.get("b").size(true), "the original drew nothing");
        original.get("c").resize(5);
        assertEquals(8, snapshot.restore(1).get("c").size(), "the snapshot does not follow later changes");
    }

    @Test
    void seedsDrivePerWorkerDraws() {
        ChannelGroupsSnapshot snapshot = ChannelGroupsSnapshot.of(sample());
        ChannelGroups one = snapshot.restore(11);
        ChannelGroups same = snapshot.restore(11);
        ChannelGroups other = snapshot.restore(12);
        boolean differ = false;
        for (int step = 0; step < 20; step++) {
            one.drawTrainingSizes();
            same.drawTrainingSizes();
            other.drawTrainingSizes();
            assertEquals(one.get("b").size(true), same.get("b").size(true));
            differ |= one.get("b").size(true) != other.get("b").size(true)
                    || one.get("c").size(true) != other.get("c").size(true);
        }
        assertTrue(differ, "different seeds give different draws");
    }

    @Test
    void rejectsADistributionItCannotDescribe() {
        ChannelGroups g = new ChannelGroups(1);
        g.add("x", 8).setDistribution(new SizeDistribution() {
            @Override
            public int sample(Random rng) {
                return 8;
            }

            @Override
            public int min() {
                return 8;
            }

            @Override
            public int max() {
                return 8;
            }
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChannelGroupsSnapshot.of(g));
        assertTrue(e.getMessage().contains("group 'x'") && e.getMessage().contains("SizeDistribution.uniform"),
                e.getMessage());
    }

    @Test
    void reportsWhatItHolds() {
        ChannelGroups g = new ChannelGroups(1);
        g.add("x", 8);
        ChannelGroupsSnapshot s = ChannelGroupsSnapshot.of(g);
        assertFalse(s.hasDistributions());
        assertFalse(s.hasTrainableGrids());
        assertNull(s.entries().get(0).trainablePoints());
        assertEquals(1, s.entries().size());
    }
}
