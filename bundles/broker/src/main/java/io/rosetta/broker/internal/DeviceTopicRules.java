package io.rosetta.broker.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which topics a device may use, in this order:
 * <ol>
 * <li>the topic filters of its own configuration in the device registry, key {@code mqttTopics} (a JSON array of
 * strings, or one comma-separated string), when it has that key;</li>
 * <li>else {@code deviceTopics.<binding>} of the broker's configuration, for a device of that binding;</li>
 * <li>else {@code deviceTopics}.</li>
 * </ol>
 * Filters may contain the placeholders of {@link TopicTemplates}. A device may publish to a topic that one of its
 * filters matches and subscribe to a filter that one of them covers.
 */
final class DeviceTopicRules {

    static final String KEY = "deviceTopics";
    static final String DEVICE_KEY = "mqttTopics";
    /**
     * A device's own tree ({@code devices/<id>/...}) and what the shipped MQTT dialects publish and receive for a device
     * whose name in its firmware is its device id: Tasmota ({@code tele/}, {@code stat/}, {@code cmnd/}), Homie, Home
     * Assistant discovery (node id), Sparkplug B (edge node id).
     */
    static final String DEFAULT = "devices/{deviceId}/#, tele/{deviceId}/#, stat/{deviceId}/#, cmnd/{deviceId}/#, homie/{deviceId}/#, "
            + "homeassistant/+/{deviceId}/#, spBv1.0/+/+/{deviceId}/#";

    /** What the rules need to know of a device. */
    record Device(String deviceId, String username, String thingNamespace, String thingName, String binding, List<String> ownTopics) {
    }

    private final TopicTemplates defaults;
    private final Map<String, TopicTemplates> byBinding;

    DeviceTopicRules(TopicTemplates defaults, Map<String, TopicTemplates> byBinding) {
        this.defaults = defaults;
        this.byBinding = Map.copyOf(byBinding);
    }

    static DeviceTopicRules defaults() {
        return new DeviceTopicRules(TopicTemplates.parse(KEY, DEFAULT), Map.of());
    }

    /**
     * The rules of the broker's configuration: {@code deviceTopics} (absent: {@link #DEFAULT}) and every
     * {@code deviceTopics.<binding>}.
     *
     * @throws IllegalArgumentException naming the key of a malformed filter
     */
    static DeviceTopicRules from(Map<String, ?> properties) {
        Object d = properties == null ? null : properties.get(KEY);
        TopicTemplates defaults = TopicTemplates.parse(KEY, d == null ? DEFAULT : String.valueOf(d));
        Map<String, TopicTemplates> byBinding = new HashMap<>();
        if (properties != null) {
            for (Map.Entry<String, ?> e : properties.entrySet()) {
                if (e.getKey().startsWith(KEY + ".") && e.getKey().length() > KEY.length() + 1) {
                    byBinding.put(e.getKey().substring(KEY.length() + 1), TopicTemplates.parse(e.getKey(), String.valueOf(e.getValue())));
                }
            }
        }
        return new DeviceTopicRules(defaults, byBinding);
    }

    /** The ACL of a device; {@code rejected} receives the entries of its own list that are not topic filters. */
    TopicAcl aclOf(Device device, List<String> rejected) {
        return new TopicAcl(templatesOf(device, rejected).expand(values(device)));
    }

    /** Where the device's topics come from, for log lines: {@code mqttTopics}, {@code deviceTopics.<binding>} or {@code deviceTopics}. */
    String sourceOf(Device device) {
        if (device.ownTopics() != null) {
            return DEVICE_KEY;
        }
        return device.binding() != null && byBinding.containsKey(device.binding()) ? KEY + "." + device.binding() : KEY;
    }

    private TopicTemplates templatesOf(Device device, List<String> rejected) {
        if (device.ownTopics() != null) {
            return TopicTemplates.lenient(device.ownTopics(), rejected);
        }
        TopicTemplates t = device.binding() == null ? null : byBinding.get(device.binding());
        return t != null ? t : defaults;
    }

    private static Map<String, String> values(Device d) {
        Map<String, String> v = new HashMap<>(8);
        v.put("deviceId", d.deviceId());
        v.put("username", d.username());
        v.put("thingNamespace", d.thingNamespace());
        v.put("thingName", d.thingName());
        return v;
    }

    /** The configured rules, for the log line at start. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(KEY + " = " + defaults);
        new TreeMap<>(byBinding).forEach((b, t) -> parts.add(KEY + "." + b + " = " + t));
        return String.join("; ", parts);
    }
}
