package io.rosetta.search.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Feature;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SearchIndexTest {

    private static final String[] ROOMS = {"kitchen", "hall", "living-room", "Kitchen", "bath"};
    private static final String[] NAMESPACES = {"org.example", "org.other", "com.acme"};

    static Thing random(int i, Random r) {
        JsonObject.Builder attributes = JsonObject.newBuilder().set("room", ROOMS[r.nextInt(ROOMS.length)]).set("n", r.nextInt(50));
        if (r.nextBoolean()) {
            attributes.set("tags", JsonArray.of(JsonValue.of("t" + r.nextInt(5)), JsonValue.of(r.nextInt(10))));
        }
        if (r.nextInt(10) == 0) {
            attributes.set("room", JsonValue.of(r.nextInt(3)));
        }
        if (r.nextInt(10) == 0) {
            attributes.set("n", JsonValue.nullValue());
        } else if (r.nextInt(20) == 0) {
            attributes.set("n", JsonObject.of("nested", JsonValue.of(r.nextInt(50))));
        } else if (r.nextInt(20) == 0) {
            attributes.remove("n");
        }
        List<Feature> features = new ArrayList<>();
        features.add(Feature.of("temperature", null, JsonObject.newBuilder().set("value", 15 + r.nextInt(100) / 10.0).build(), null));
        if (r.nextBoolean()) {
            features.add(Feature.of("lamp", null, JsonObject.newBuilder().set("on", r.nextBoolean()).set("value", r.nextInt(30)).build(),
                    JsonObject.newBuilder().set("on", r.nextBoolean()).build()));
        }
        return Thing.newBuilder(ThingId.of(NAMESPACES[r.nextInt(NAMESPACES.length)], "thing-" + i))
                .attributes(attributes.build()).features(features).revision(1 + r.nextInt(5)).build();
    }

    private static final String[] FILTERS = {
        "",
        "eq(attributes/room,\"kitchen\")",
        "ne(attributes/room,\"kitchen\")",
        "in(attributes/room,\"kitchen\",\"hall\",2)",
        "gt(attributes/n,25)",
        "and(ge(attributes/n,10),lt(attributes/n,20))",
        "le(attributes/n,3)",
        "eq(attributes/n,null)",
        "eq(attributes/tags,\"t1\")",
        "gt(attributes/tags,4)",
        "like(attributes/room,\"k*\")",
        "ilike(attributes/room,\"K*N\")",
        "like(attributes/room,\"*i?g*\")",
        "exists(features/lamp)",
        "eq(features/lamp/properties/on,true)",
        "ne(features/lamp/desiredProperties/on,true)",
        "gt(features/*/properties/value,20)",
        "and(eq(attributes/room,\"hall\"),gt(features/temperature/properties/value,19.5),exists(attributes/tags))",
        "or(eq(attributes/room,\"bath\"),not(exists(features/lamp)))",
        "not(and(eq(attributes/room,\"kitchen\"),lt(attributes/n,40)))",
        "and(eq(thingId,\"org.example:thing-7\"),like(attributes/room,\"*\"))",
        "gt(thingId,\"org.other:thing-5\")",
        "in(_namespace,\"org.example\",\"com.acme\")",
        "ge(_revision,3)"};

    @Test
    void indexAnswersExactlyWhatTheScanAnswers() {
        Random r = new Random(42);
        SearchIndex index = new SearchIndex(32);
        for (int i = 0; i < 3000; i++) {
            index.upsert(random(i, r));
        }
        SearchOptions all = RqlParser.parseOptions("size(200)");
        for (int round = 0; round < 3; round++) {
            for (String rql : FILTERS) {
                Filter f = RqlParser.parseFilter(rql);
                assertThat(index.count(f)).as(rql).isEqualTo(index.scanCount(f));
                assertThat(ids(index.search(f, all, null))).as(rql).isEqualTo(ids(index.scanSearch(f, all, null)));
            }
            // change a third of the things (and delete some) between rounds: the indexes follow
            for (int i = 0; i < 1000; i++) {
                int n = r.nextInt(3100);
                Thing t = random(n, r);
                if (r.nextInt(10) == 0) {
                    index.remove(t.thingId());
                } else {
                    index.upsert(t);
                }
            }
        }
        assertThat(index.stats().indexBuilds()).isGreaterThan(5);
        assertThat(index.stats().indexedPaths()).contains("attributes/room", "features/*/properties/value");
    }

    @Test
    void pagesWithTheCursorPositionThroughEveryMatchInSortOrder() {
        Random r = new Random(7);
        SearchIndex index = new SearchIndex(8);
        for (int i = 0; i < 6000; i++) {
            index.upsert(random(i, r));
        }
        // few matches: a heap over them; many (more than INDEX_SORT_LIMIT): in the order of the first sort key's index
        for (String rql : new String[] {"and(ne(attributes/room,\"bath\"),lt(attributes/n,8))", "ne(attributes/room,\"bath\")"}) {
            Filter f = RqlParser.parseFilter(rql);
            for (String sort : new String[] {"", "sort(-attributes/n)", "sort(+attributes/n)", "sort(+attributes/room,-features/temperature/properties/value)",
                    "sort(-attributes/tags,+_namespace)", "sort(+attributes/tags)", "sort(-thingId)"}) {
                String what = rql + " " + sort;
                SearchOptions options = RqlParser.parseOptions(sort.isEmpty() ? "size(97)" : sort + ",size(97)");
                List<String> expected = new ArrayList<>();
                for (int offset = 0; offset < index.count(f); offset += 200) {
                    String limit = "limit(" + offset + ",200)";
                    expected.addAll(ids(index.scanSearch(f, RqlParser.parseOptions(sort.isEmpty() ? limit : sort + "," + limit), null)));
                }
                List<String> paged = new ArrayList<>();
                List<ValueKey> after = null;
                SearchIndex.Page page;
                do {
                    page = index.search(f, options, after);
                    paged.addAll(ids(page));
                    if (!page.items().isEmpty()) {
                        after = List.of(SearchIndex.sortValues(page.items().get(page.items().size() - 1), options.effectiveSort()));
                    }
                } while (page.more());
                assertThat(expected).as(what).hasSize((int) index.count(f)).doesNotHaveDuplicates();
                assertThat(paged).as(what).isEqualTo(expected);
            }
        }
        assertThat(index.stats().indexedPaths()).as("sort keys got indexes").contains("attributes/n", "attributes/tags", "thingId");
    }

    @Test
    void sortsAsDitto() {
        SearchIndex index = new SearchIndex(4);
        index.upsert(Things.of("{\"thingId\":\"a:1\",\"attributes\":{\"x\":5}}"));
        index.upsert(Things.of("{\"thingId\":\"a:2\",\"attributes\":{\"x\":\"five\"}}"));
        index.upsert(Things.of("{\"thingId\":\"a:3\"}"));
        index.upsert(Things.of("{\"thingId\":\"a:4\",\"attributes\":{\"x\":[9,1]}}"));
        index.upsert(Things.of("{\"thingId\":\"a:5\",\"attributes\":{\"x\":true}}"));
        index.upsert(Things.of("{\"thingId\":\"a:6\",\"attributes\":{\"x\":null}}"));
        Filter all = new Filter.All();
        // missing, null, numbers (an array by its smallest), strings, booleans
        assertThat(ids(index.search(all, RqlParser.parseOptions("sort(+attributes/x)"), null)))
                .containsExactly("a:3", "a:6", "a:4", "a:1", "a:2", "a:5");
        // descending: an array by its largest value
        assertThat(ids(index.search(all, RqlParser.parseOptions("sort(-attributes/x)"), null)))
                .containsExactly("a:5", "a:2", "a:4", "a:1", "a:6", "a:3");
    }

    @Test
    void dropsTheLeastRecentlyUsedIndexAndScansWithoutIndexes() {
        Random r = new Random(3);
        SearchIndex limited = new SearchIndex(2);
        SearchIndex scanning = new SearchIndex(0);
        for (int i = 0; i < 2000; i++) {
            Thing t = random(i, r);
            limited.upsert(t);
            scanning.upsert(t);
        }
        Filter three = RqlParser.parseFilter("or(eq(attributes/room,\"hall\"),gt(attributes/n,40),exists(features/lamp))");
        assertThat(limited.count(three)).isEqualTo(limited.scanCount(three)).isEqualTo(scanning.count(three));
        assertThat(limited.stats().indexedPaths()).hasSize(2);
        assertThat(limited.stats().indexEvictions()).isGreaterThan(0);
        assertThat(scanning.stats().indexedPaths()).isEmpty();
    }

    private static List<String> ids(SearchIndex.Page page) {
        return page.items().stream().map(t -> t.thingId().toString()).collect(Collectors.toList());
    }
}
