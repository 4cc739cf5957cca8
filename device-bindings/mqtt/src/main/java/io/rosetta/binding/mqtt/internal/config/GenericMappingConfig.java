package io.rosetta.binding.mqtt.internal.config;

import io.rosetta.binding.mqtt.internal.mapping.CommandRule;
import io.rosetta.binding.mqtt.internal.mapping.MappingRule;
import io.rosetta.binding.mqtt.internal.mapping.Sources;
import io.rosetta.core.json.JsonPointer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user-defined mapping of the generic JSON dialect, read from a factory configuration
 * ({@code etc/io.rosetta.binding.mqtt.generic-<name>.cfg}):
 * <pre>
 * topic   = acme/+/telemetry                       # MQTT filter the devices publish on
 * thingId = acme:{1}                               # {n} = topic level n (0-based); no namespace: the broker's
 * model   = rosetta:temperature-humidity-sensor:1.0.0
 * property.temperature.value = /env/temp [degF]    # JSON pointer into the payload, optional UCUM unit
 * property.humidity.value    = /env/hum
 * command.topic   = acme/{1}/set                   # optional: where desired state goes
 * command.switch.on = /relay                       # desired switch/on becomes {"relay": true}
 * brokers = *                                      # broker connection names, or * for all
 * </pre>
 */
public record GenericMappingConfig(String name, Set<String> brokers, String topic, String thingId, String model,
                                   List<MappingRule> rules, String commandTopic, List<CommandRule> commands) {

    private static final Pattern LEVEL = Pattern.compile("\\{(\\d+)}");

    public GenericMappingConfig {
        brokers = Set.copyOf(brokers);
        rules = List.copyOf(rules);
        commands = List.copyOf(commands);
    }

    public boolean appliesTo(String broker) {
        return brokers.contains("*") || brokers.contains(broker);
    }

    /** Reads a configuration; throws {@link IllegalArgumentException} naming the wrong key. */
    public static GenericMappingConfig from(Map<String, ?> properties) {
        String name = Configs.text(properties, "name", null);
        if (name == null) {
            name = Configs.nameFromFile(properties, "generic");
        }
        String topic = Configs.required(properties, "topic", "an MQTT topic filter such as acme/+/telemetry");
        if (topic.contains("#") && !topic.endsWith("#")) {
            throw new IllegalArgumentException("topic must be an MQTT filter ('#' only at the end) but was '" + topic + "'");
        }
        String thingId = Configs.required(properties, "thingId", "a thing id template such as acme:{1}");
        int levels = topic.split("/", -1).length;
        Matcher lm = LEVEL.matcher(thingId);
        while (lm.find()) {
            if (Integer.parseInt(lm.group(1)) >= levels) {
                throw new IllegalArgumentException("thingId refers to topic level " + lm.group(1) + " but the topic has " + levels + " levels");
            }
        }
        String model = Configs.required(properties, "model", "a semantic model id such as rosetta:temperature-humidity-sensor:1.0.0");
        List<MappingRule> rules = new ArrayList<>();
        List<CommandRule> commands = new ArrayList<>();
        for (Map.Entry<String, ?> e : new TreeMap<>(properties).entrySet()) {
            String key = e.getKey();
            String value = String.valueOf(e.getValue()).trim();
            if (key.startsWith("property.")) {
                String[] fp = featureProperty(key, "property.");
                String[] parts = value.split("\\s+");
                if (parts.length > 2 || !parts[0].startsWith("/")) {
                    throw new IllegalArgumentException(key + " must be a JSON pointer and an optional UCUM unit ('/env/temp [degF]') but was '" + value + "'");
                }
                String unit = parts.length == 2 ? parts[1] : null;
                rules.add(new MappingRule(Sources.parse(parts[0]), fp[0], fp[1], unit, null, null, null, null));
            } else if (key.startsWith("command.") && !"command.topic".equals(key)) {
                String[] fp = featureProperty(key, "command.");
                try {
                    JsonPointer.of(value);
                } catch (RuntimeException ex) {
                    throw new IllegalArgumentException(key + " must be a JSON pointer but was '" + value + "'");
                }
                if (!value.startsWith("/")) {
                    throw new IllegalArgumentException(key + " must be a JSON pointer but was '" + value + "'");
                }
                commands.add(new CommandRule(fp[0], fp[1], value, null, null));
            }
        }
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("at least one property.<feature>.<property> = <JSON pointer> is required");
        }
        String commandTopic = Configs.text(properties, "command.topic", null);
        if (!commands.isEmpty() && commandTopic == null) {
            throw new IllegalArgumentException("command.topic is required when command.<feature>.<property> entries are given");
        }
        return new GenericMappingConfig(name, Configs.list(properties, "brokers", List.of("*")).stream().collect(java.util.stream.Collectors.toSet()),
                topic, thingId, model, rules, commandTopic, commands);
    }

    private static String[] featureProperty(String key, String prefix) {
        String rest = key.substring(prefix.length());
        int dot = rest.indexOf('.');
        if (dot <= 0 || dot == rest.length() - 1 || rest.indexOf('.', dot + 1) >= 0) {
            throw new IllegalArgumentException(key + " must have the form " + prefix + "<feature>.<property>");
        }
        return new String[] {rest.substring(0, dot), rest.substring(dot + 1)};
    }

    /** Replaces {@code {n}} by level n of a topic (empty beyond its last level); no regular expression, no split. */
    public static String render(String template, String topic) {
        int open = template.indexOf('{');
        if (open < 0) {
            return template;
        }
        StringBuilder b = new StringBuilder(template.length() + topic.length());
        int from = 0;
        while (open >= 0) {
            int end = open + 1;
            while (end < template.length() && template.charAt(end) >= '0' && template.charAt(end) <= '9') {
                end++;
            }
            if (end > open + 1 && end < template.length() && template.charAt(end) == '}') {
                b.append(template, from, open);
                appendLevel(b, topic, end - open - 1 > 9 ? Integer.MAX_VALUE : Integer.parseInt(template, open + 1, end, 10));
                from = end + 1;
                open = template.indexOf('{', from);
            } else {
                open = template.indexOf('{', open + 1);
            }
        }
        return b.append(template, from, template.length()).toString();
    }

    private static void appendLevel(StringBuilder b, String topic, int level) {
        int start = 0;
        for (int i = 0; i < level; i++) {
            int slash = topic.indexOf('/', start);
            if (slash < 0) {
                return;
            }
            start = slash + 1;
        }
        int slash = topic.indexOf('/', start);
        b.append(topic, start, slash < 0 ? topic.length() : slash);
    }
}
