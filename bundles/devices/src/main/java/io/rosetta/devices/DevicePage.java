package io.rosetta.devices;

import java.util.List;

/** A page of devices and how many matched in all. */
public record DevicePage(List<Device> items, int total) {

    public DevicePage {
        items = List.copyOf(items);
    }
}
