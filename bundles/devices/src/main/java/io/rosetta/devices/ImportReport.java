package io.rosetta.devices;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of an import: how many rows, how many were valid, rejected and imported, and one error per rejected
 * row. A rejected row left nothing behind; with {@code atomic} or {@code dryRun} nothing was imported.
 *
 * @param rows     data rows in the file
 * @param valid    rows that passed every check
 * @param rejected rows refused (see {@code errors})
 * @param imported devices provisioned
 * @param errors   the rejected rows, in file order
 * @param millis   how long the import took
 */
public record ImportReport(int rows, int valid, int rejected, int imported, boolean dryRun, boolean atomic, List<RowError> errors,
                           long millis) {

    /**
     * One rejected row.
     *
     * @param row      where it is: the line of a CSV file (the header is line 1), the 1-based position in a JSON array
     * @param deviceId its device id as written, {@code null} when it has none
     * @param error    a Ditto-style error code: {@code devices:device.conflict}, {@code devices:model.unknown},
     *                 {@code devices:credentials.invalid}, {@code devices:credentials.duplicate}, ...
     * @param message  what is wrong, in one line
     */
    public record RowError(int row, String deviceId, String error, String message) {

        public JsonObject toJson() {
            return JsonObject.newBuilder().set("row", row).set("deviceId", JsonValue.of(deviceId)).set("error", error)
                    .set("message", message).build();
        }

        @Override
        public String toString() {
            return "row " + row + (deviceId == null ? "" : " (" + deviceId + ")") + ": " + message + " [" + error + "]";
        }
    }

    public ImportReport {
        errors = List.copyOf(errors);
    }

    public JsonObject toJson() {
        List<JsonValue> e = new ArrayList<>(errors.size());
        errors.forEach(r -> e.add(r.toJson()));
        return JsonObject.newBuilder().set("rows", rows).set("valid", valid).set("rejected", rejected).set("imported", imported)
                .set("dryRun", dryRun).set("atomic", atomic).set("millis", millis).set("errors", JsonArray.of(e)).build();
    }
}
