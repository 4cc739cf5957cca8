package io.rosetta.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @TempDir
    Path dir;

    @Test
    void comparesRosettaWithTheCeilingLoadByLoad() throws Exception {
        Files.writeString(dir.resolve("steps.csv"), MqttEndToEnd.STEPS_HEADER + "\n"
                + "ceiling,old,1000,1000,1000,1,0.1,0.2,0.3,1,0,0,0,1,1,true\n"
                + "ceiling,run,1000,1000,1000,1,0.1,0.2,0.4,1,0,0.001,0.01,1.5,1.6,true\n"
                + "ceiling,run,5000,5000,5000,1,0.2,0.3,0.9,3,0,0.001,0.01,1.6,1.7,true\n"
                + "ceiling,run,7500,6000,6000,1,0.2,0.3,0.9,3,0,0.001,0.01,1.6,1.7,false,generator\n"
                + "rosetta,run,1000,1000,1000,1,0.5,0.8,2.0,9,0,0.05,0.01,1.7,1.8,true\n"
                + "rosetta,run,5000,4990,3500,0.7,90,300,800,900,1500,0.04,0.01,1.8,2.5,false\n"
                + "rosetta,run,7500,7400,7400,1,1,2,3,4,0,0.04,0.01,1.8,2.5,true,,0.0010,2.50\n");
        Files.writeString(dir.resolve("soak.csv"), MqttEndToEnd.SOAK_HEADER + "\n"
                + "rosetta,run,0,1000,NaN,NaN,NaN,NaN,40.0,1.0\n"
                + "rosetta,run,60,2500,2500,1,0.5,3,50.0,1.0\n"
                + "rosetta,run,120,2500,2500,1,0.5,4,50.5,1.0\n"
                + "rosetta,run,180,2500,2500,1,0.5,5,51.0,1.0\n");

        String md = Report.markdown(dir);

        assertThat(md).contains("| 1000 | 1000 | 0.10 / 0.40 | 1000 | 0.50 / 2.00 | 1.00 | 0.050 | 1.7–1.8 |");
        assertThat(md).contains("| 5000 | 5000 | 0.20 / 0.90 | 3500 (not sustained) | 90.00 / 800.00 | 0.70 |");
        assertThat(md).contains("| 7500 | 6000 (simulator short) |");
        assertThat(md).contains("| 0.040 | 1.8–2.5, steal 2.50 % |");
        assertThat(md).contains("Max sustained offered load (every step up to it sustained): ceiling 5000 msg/s, Rosetta 1000 msg/s (ratio 0.20)");
        assertThat(md).contains("heap after GC 50.0 → 51.0 MB (slope 0.50 MB/min)");
    }
}
