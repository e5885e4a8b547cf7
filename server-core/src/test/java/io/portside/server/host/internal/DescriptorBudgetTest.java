package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The host-wide descriptor budget: its size from the limit, and the floor every other listener keeps. */
class DescriptorBudgetTest {

    /** Takes connections on {@code share} until one is over the budget (released at once, as the host closes it). */
    private static int fill(DescriptorBudget.Share share) {
        int admitted = 0;
        while (share.take()) {
            admitted++;
        }
        share.release();
        return admitted;
    }

    @Test
    void reserveIsAnEighthOfTheLimitAtLeast128AtMostHalf() {
        assertEquals(896, new DescriptorBudget(1024, null).figures().budget());
        assertEquals(128, new DescriptorBudget(1024, null).figures().reserve());
        assertEquals(17_500, new DescriptorBudget(20_000, null).figures().budget());
        assertEquals(100, new DescriptorBudget(200, null).figures().budget(), "half of a tiny limit");
        assertEquals(724, new DescriptorBudget(1024, 300).figures().budget(), "portside.descriptors.reserve");
        assertEquals(512, new DescriptorBudget(1024, 5000).figures().reserve(), "a reserve above half the limit is taken down to half");
        assertEquals(Integer.MAX_VALUE, new DescriptorBudget(0, null).figures().budget(), "unknown limit: no budget");
        assertEquals(Integer.MAX_VALUE, new DescriptorBudget(Long.MAX_VALUE, null).figures().budget(), "unlimited");
        assertTrue(new DescriptorBudget(Long.MAX_VALUE, null).figures().reserve() > 0, "unlimited");
    }

    @Test
    void oneListenerCannotTakeTheFloorsOfTheOthers() {
        DescriptorBudget budget = new DescriptorBudget(1024, null);
        DescriptorBudget.Share flood = budget.join();
        DescriptorBudget.Share second = budget.join();
        DescriptorBudget.Share third = budget.join();
        assertEquals(64, budget.figures().floor());

        assertEquals(896 - 2 * 64, fill(flood));
        assertEquals(64, fill(second), "the second keeps its floor, and no more: the third's is held for it");
        assertEquals(64, fill(third));
        assertEquals(896, budget.figures().connections());

        second.release();
        assertFalse(flood.take(), "a slot under another's floor stays that one's");
        flood.release();
        assertTrue(second.take());
    }

    @Test
    void aClosedListenerGivesItsFloorBackAndReleasesStillCount() {
        DescriptorBudget budget = new DescriptorBudget(1024, null);
        DescriptorBudget.Share flood = budget.join();
        DescriptorBudget.Share gone = budget.join();
        assertTrue(gone.take());
        gone.leave();
        assertEquals(64, budget.figures().floor(), "min(64, 896 / 2)");
        assertEquals(895, fill(flood), "all but the one the closed listener still holds");
        gone.release();
        assertTrue(flood.take());
        assertEquals(896, budget.figures().connections());
    }

    @Test
    void theRuntimeJsonShowsTheBudgetAfterTheListeners() {
        DescriptorBudget budget = new DescriptorBudget(1024, null);
        budget.join().take();
        String json = RuntimeFormat.json(List.of(), 7, new DescriptorBudget.Figures(1024, 128, 896, 64, 1, 45));
        assertEquals("{\"changeCount\":7,\"listeners\":[],\"descriptors\":{\"limit\":1024,\"reserve\":128,\"budget\":896,"
                + "\"floor\":64,\"connections\":1,\"open\":45}}", json);
        assertEquals(1, budget.figures().connections());
        assertTrue(budget.figures().open() != 0, "the process's open descriptors, or -1 off Unix");
        assertEquals("{\"changeCount\":7,\"listeners\":[]}", RuntimeFormat.json(List.of(), 7), "without a host: as before");
    }

    @Test
    void manyListenersShareHalfTheBudgetAsFloors() {
        DescriptorBudget budget = new DescriptorBudget(300, null); // reserve 128, budget 172
        List<DescriptorBudget.Share> shares = List.of(budget.join(), budget.join(), budget.join(), budget.join());
        assertEquals(21, budget.figures().floor(), "172 / (2 * 4)");
        assertEquals(172 - 3 * 21, fill(shares.get(0)));
    }
}
