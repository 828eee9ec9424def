package dev.entrapbx.sync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlannerStatisticsTest {

    @Test
    void smallImportsNeverAnalyze() {
        assertFalse(PlannerStatistics.due(0, 1999));
        assertFalse(PlannerStatistics.due(500, 1999));
        assertTrue(PlannerStatistics.due(0, 2000));
    }

    @Test
    void analyzesEachTimeTheRunDoubledWhatItAdded() {
        assertFalse(PlannerStatistics.due(2000, 1999));
        assertTrue(PlannerStatistics.due(2000, 2000));
        assertFalse(PlannerStatistics.due(64_000, 30_000));
        assertTrue(PlannerStatistics.due(64_000, 64_000));
    }
}
