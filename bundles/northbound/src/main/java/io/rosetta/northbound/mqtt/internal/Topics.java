package io.rosetta.northbound.mqtt.internal;

import io.rosetta.api.ditto.DittoTopic;

/**
 * The northbound's MQTT topics under one prefix:
 * <ul>
 * <li>events: {@code <prefix>/<Ditto topic>}, i.e. {@code <prefix>/<namespace>/<name>/things/twin/events/<action>}
 * ({@code _} for the default namespace);</li>
 * <li>commands: {@code <prefix>/commands/<client>}, one level below {@code commands}, so that the events of a
 * namespace called {@code commands} (six levels below it) never reach the command subscription;</li>
 * <li>responses: {@code <prefix>/responses/<client>}, the same last level as the command's topic.</li>
 * </ul>
 */
record Topics(String prefix) {

    static final String COMMANDS = "commands";
    static final String RESPONSES = "responses";

    static Topics of(String prefix) {
        String p = prefix == null ? "" : prefix.trim();
        if (p.isEmpty() || p.startsWith("/") || p.endsWith("/") || p.contains("//")) {
            throw new IllegalArgumentException("topic.prefix: '" + p + "' must be one or more topic levels such as 'rosetta' or 'site-1/rosetta'");
        }
        if (p.contains("+") || p.contains("#") || p.indexOf('\0') >= 0 || p.startsWith("$")) {
            throw new IllegalArgumentException("topic.prefix: '" + p + "' must not contain the wildcards + and #, NUL, or start with $");
        }
        return new Topics(p);
    }

    /** The topic an event envelope with this Ditto topic is published on. */
    String event(DittoTopic topic) {
        return prefix + "/" + topic;
    }

    /** The subscription that receives commands. */
    String commandFilter() {
        return prefix + "/" + COMMANDS + "/+";
    }

    /**
     * The response topic for a command received on {@code commandTopic}: {@code <prefix>/responses/<client>}.
     *
     * @throws IllegalArgumentException when the topic is not a command topic of this prefix
     */
    String responseFor(String commandTopic) {
        String head = prefix + "/" + COMMANDS + "/";
        if (!commandTopic.startsWith(head) || commandTopic.length() == head.length() || commandTopic.indexOf('/', head.length()) >= 0) {
            throw new IllegalArgumentException("'" + commandTopic + "' is not a command topic (" + commandFilter() + ")");
        }
        return prefix + "/" + RESPONSES + "/" + commandTopic.substring(head.length());
    }
}
