package io.rosetta.search.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.model.Thing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The index decides every filter exactly as {@link Filter#matches} does, however they are asked. */
class LiveFilterIndexTest {

    private static final String[] ROOMS = {"kitchen", "hall", "attic"};

    private static List<Thing> things() {
        List<Thing> things = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 60; i++) {
            String room = i % 10 == 0 ? "[\"kitchen\",\"hall\"]" : i % 7 == 0 ? "null" : "\"" + ROOMS[r.nextInt(ROOMS.length)] + "\"";
            String attributes = i % 13 == 0 ? "{}" : "{\"room\":" + room + ",\"floor\":" + r.nextInt(4) + ",\"tags\":[\"t" + r.nextInt(3) + "\"]}";
            things.add(Things.of("{\"thingId\":\"org.example:t-" + i + "\",\"attributes\":" + attributes
                    + ",\"features\":{\"env\":{\"properties\":{\"temperature\":" + (10 + r.nextInt(25)) + "}}}}"));
        }
        return things;
    }

    private static List<String> filters() {
        List<String> filters = new ArrayList<>();
        for (String room : ROOMS) {
            filters.add("eq(attributes/room,\"" + room + "\")");
            filters.add("and(eq(attributes/room,\"" + room + "\"),gt(features/env/properties/temperature,20))");
            filters.add("and(gt(features/env/properties/temperature,15),in(attributes/floor,1,2),eq(attributes/room,\"" + room + "\"))");
            filters.add("or(eq(attributes/room,\"" + room + "\"),eq(attributes/floor,3))");
            filters.add("not(eq(attributes/room,\"" + room + "\"))");
            filters.add("ne(attributes/room,\"" + room + "\")");
        }
        filters.add("eq(attributes/room,null)");
        filters.add("in(attributes/tags,\"t1\",\"t2\")");
        filters.add("eq(attributes/floor,2.0)");
        filters.add("exists(attributes/room)");
        filters.add("like(attributes/room,\"*i*\")");
        filters.add("lt(features/env/properties/temperature,18)");
        filters.add("and(eq(attributes/room,\"nowhere\"),exists(thingId))");
        filters.add("eq(features/*/properties/temperature,20)");
        return filters;
    }

    @Test
    void decidesEveryFilterAsTheReferenceSemantics() {
        LiveFilterIndex index = new LiveFilterIndex();
        List<String> texts = filters();
        List<Filter> reference = texts.stream().map(RqlParser::parseFilter).toList();
        List<Predicate<Thing>> indexed = reference.stream().map(index::register).toList();
        List<Thing> things = things();
        int matched = 0;
        // a live stream: every filter about one twin in a row
        for (Thing t : things) {
            for (int i = 0; i < texts.size(); i++) {
                boolean expected = reference.get(i).matches(t);
                assertThat(indexed.get(i).test(t)).as(texts.get(i) + " on " + t.toJson()).isEqualTo(expected);
                matched += expected ? 1 : 0;
            }
        }
        // and asked in any order: twins interleaved
        for (int i = 0; i < texts.size(); i++) {
            for (Thing t : things) {
                assertThat(indexed.get(i).test(t)).as(texts.get(i) + " on " + t.toJson()).isEqualTo(reference.get(i).matches(t));
            }
        }
        assertThat(matched).as("a test that matches something and not everything").isBetween(1, things.size() * texts.size() - 1);
        assertThat(index.size()).isEqualTo(texts.size());
    }

    @Test
    void filtersRegisteredWhileTwinsAreDecidedAreDecidedToo() {
        LiveFilterIndex index = new LiveFilterIndex();
        Thing kitchen = Things.of("{\"thingId\":\"a:b\",\"attributes\":{\"room\":\"kitchen\"}}");
        Predicate<Thing> first = index.register(RqlParser.parseFilter("eq(attributes/room,\"hall\")"));
        assertThat(first.test(kitchen)).isFalse();
        Predicate<Thing> second = index.register(RqlParser.parseFilter("eq(attributes/room,\"kitchen\")"));
        assertThat(second.test(kitchen)).isTrue();
        assertThat(first.test(kitchen)).isFalse();
    }

    @Test
    void filtersNobodyHoldsLeaveTheIndex() {
        LiveFilterIndex index = new LiveFilterIndex();
        Predicate<Thing> kept = index.register(RqlParser.parseFilter("eq(attributes/room,\"hall\")"));
        for (int i = 0; i < 100; i++) {
            index.register(RqlParser.parseFilter("eq(attributes/room,\"r" + i + "\")"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            return index.size() == 1;
        });
        Predicate<Thing> next = index.register(RqlParser.parseFilter("eq(attributes/room,\"kitchen\")"));
        Thing hall = Things.of("{\"thingId\":\"a:b\",\"attributes\":{\"room\":\"hall\"}}");
        assertThat(kept.test(hall)).isTrue();
        assertThat(next.test(hall)).isFalse();
    }
}
