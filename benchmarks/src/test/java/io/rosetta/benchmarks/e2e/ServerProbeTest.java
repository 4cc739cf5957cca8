package io.rosetta.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ServerProbeTest {

    @Test
    void stealTimeIsTheStolenShareOfAllTheMachinesTicks() {
        ServerProbe.MachineTicks before = ServerProbe.MachineTicks.parse("cpu  1000 10 500 8000 100 0 20 200 0 0");
        ServerProbe.MachineTicks after = ServerProbe.MachineTicks.parse("cpu  1400 10 700 8100 100 0 20 400 50 0");

        assertThat(before).isEqualTo(new ServerProbe.MachineTicks(9830, 200));
        // 400 + 200 + 100 + 200 = 900 ticks passed (the 50 guest ticks are inside user's 400), 200 of them stolen
        assertThat(after.stealPercentSince(before)).isCloseTo(100.0 * 200 / 900, within(1e-9));
    }

    @Test
    void noTicksMeansNoFigure() {
        ServerProbe.MachineTicks none = ServerProbe.MachineTicks.parse("intr 1 2 3");

        assertThat(none).isEqualTo(new ServerProbe.MachineTicks(0, 0));
        assertThat(none.stealPercentSince(none)).isNaN();
        assertThat(ServerProbe.MachineTicks.now().total()).isPositive();
    }
}
