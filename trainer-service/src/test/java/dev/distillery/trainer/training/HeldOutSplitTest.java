package dev.distillery.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeldOutSplitTest {

    @Test
    void aboutTheConfiguredShareIsHeldOutDeterministically() {
        HeldOutSplit split = new HeldOutSplit(10);
        HeldOutSplit again = new HeldOutSplit(10);
        int held = 0;
        for (int i = 0; i < 20_000; i++) {
            String id = "q-" + i;
            boolean h = split.isHeldOut(id);
            assertEquals(h, again.isHeldOut(id));
            if (h) {
                held++;
            }
        }
        assertTrue(held > 1800 && held < 2200, "held out " + held + " of 20000");
    }

    @Test
    void zeroAndHundredPercentAreExact() {
        assertFalse(new HeldOutSplit(0).isHeldOut("anything"));
        assertTrue(new HeldOutSplit(100).isHeldOut("anything"));
    }
}
