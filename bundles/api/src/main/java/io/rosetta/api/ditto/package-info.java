/**
 * The Ditto protocol as Rosetta speaks it on every channel that carries envelopes (the WebSocket {@code /ws/2}
 * and the MQTT northbound): {@link io.rosetta.api.ditto.DittoEnvelope} and {@link io.rosetta.api.ditto.DittoTopic}
 * read and write envelopes, {@link io.rosetta.api.ditto.DittoCommands} applies twin commands to the registry with
 * the caller's grants, and {@link io.rosetta.api.ditto.DittoEvents} turns twin events into event envelopes.
 */
package io.rosetta.api.ditto;
