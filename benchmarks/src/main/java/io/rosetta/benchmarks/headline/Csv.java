package io.rosetta.benchmarks.headline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The harness's CSV files: appended a row at a time with a header, read back as header → value maps. */
final class Csv {

    private Csv() {
    }

    static void append(Path file, String header, String line) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, header + "\n", StandardCharsets.UTF_8);
        }
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    static List<Map<String, String>> read(Path file) throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) {
            return out;
        }
        String[] header = lines.get(0).split(",");
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] v = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length && i < v.length; i++) {
                row.put(header[i], v[i]);
            }
            out.add(row);
        }
        return out;
    }

    static double d(Map<String, String> row, String key) {
        try {
            return row == null || row.get(key) == null ? Double.NaN : Double.parseDouble(row.get(key));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
