package io.rosetta.binding.coap.internal.senml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SenML resolution with the examples of RFC 8428 itself (sections 5 and 6). */
class SenmlDecoderTest {

    /** "Now" of the resolutions below: the time in RFC 8428's own resolved example (section 4.6). */
    private static final double NOW = 1.320078429e9;
    private final SenmlDecoder decoder = new SenmlDecoder(1000);

    private List<SenmlRecord> json(String text) throws SenmlException {
        return decoder.decodeJson(text.getBytes(StandardCharsets.UTF_8), NOW);
    }

    @Test
    void singleDatapoint_5_1_1() throws Exception {
        List<SenmlRecord> r = json("[{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"Cel\",\"v\":23.1}]");
        assertThat(r).containsExactly(new SenmlRecord("urn:dev:ow:10e2073a01080063", "Cel", JsonNumber.of(23.1), null, NOW));
    }

    /** RFC 8428 section 4.6: the pack of 5.1.2 and its resolved form. */
    @Test
    void multipleDatapoints_resolvedAsSection_4_6() throws Exception {
        List<SenmlRecord> r = json("[{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"n\":\"voltage\",\"u\":\"V\",\"v\":120.1},"
                + "{\"n\":\"current\",\"u\":\"A\",\"v\":1.2}]");
        assertThat(r).containsExactly(
                new SenmlRecord("urn:dev:ow:10e2073a01080063:voltage", "V", JsonNumber.of(120.1), null, 1.320078429e9),
                new SenmlRecord("urn:dev:ow:10e2073a01080063:current", "A", JsonNumber.of(1.2), null, 1.320078429e9));
    }

    /** 5.1.3: base time, base unit, relative times, a record's own unit over the base unit. */
    @Test
    void multipleMeasurements_5_1_3() throws Exception {
        List<SenmlRecord> r = json("""
                [{"bn":"urn:dev:ow:10e2073a0108006:","bt":1.276020076001e+09,"bu":"A","bver":5,"n":"voltage","u":"V","v":120.1},
                 {"n":"current","t":-5,"v":1.2},{"n":"current","t":-4,"v":1.3},{"n":"current","t":-3,"v":1.4},
                 {"n":"current","t":-2,"v":1.5},{"n":"current","t":-1,"v":1.6},{"n":"current","v":1.7}]""");
        assertThat(r).hasSize(7);
        assertThat(r.get(0)).isEqualTo(new SenmlRecord("urn:dev:ow:10e2073a0108006:voltage", "V", JsonNumber.of(120.1), null,
                1.276020076001e9));
        assertThat(r.get(1).name()).isEqualTo("urn:dev:ow:10e2073a0108006:current");
        assertThat(r.get(1).unit()).isEqualTo("A");
        assertThat(r.get(1).time()).isCloseTo(1.276020071001e9, within(1e-6));
        assertThat(r.get(6).time()).isCloseTo(1.276020076001e9, within(1e-6));
        assertThat(r.get(6).value()).isEqualTo(JsonNumber.of(1.7));
    }

    /** 5.1.5: string, boolean and data values. */
    @Test
    void multipleDataTypes_5_1_5() throws Exception {
        List<SenmlRecord> r = json("""
                [{"bn":"urn:dev:ow:10e2073a01080063:","n":"temp","u":"Cel","v":23.4},
                 {"n":"label","vs":"Machine Room"},{"n":"open","vb":false},{"n":"nfc-reader","vd":"aGkgCg"}]""");
        assertThat(r).extracting(SenmlRecord::value).containsExactly(JsonNumber.of(23.4), JsonString.of("Machine Room"),
                JsonBoolean.FALSE, JsonString.of("aGkgCg"));
        assertThat(r).extracting(SenmlRecord::unit).containsExactly("Cel", null, null, null);
    }

    /** 5.1.4: records without a name take the base name; base unit; relative t after a base time. */
    @Test
    void resourcesWithTimeSeries_5_1_4() throws Exception {
        List<SenmlRecord> r = json("""
                [{"bn":"urn:dev:ow:10e2073a01080063","bt":1.320067464e+09,"bu":"%RH","v":20},
                 {"u":"lon","v":24.30621},{"u":"lat","v":60.07965},{"t":60,"v":20.3},{"u":"lon","t":60,"v":24.30622}]""");
        assertThat(r).extracting(SenmlRecord::name).containsOnly("urn:dev:ow:10e2073a01080063");
        assertThat(r).extracting(SenmlRecord::unit).containsExactly("%RH", "lon", "lat", "%RH", "lon");
        assertThat(r.get(3).time()).isEqualTo(1.320067524e9);
    }

    @Test
    void baseValueAndBaseSumAreAdded() throws Exception {
        List<SenmlRecord> r = json("[{\"bn\":\"dev1/\",\"bv\":100,\"bs\":5,\"n\":\"a\",\"v\":1.5},{\"n\":\"b\",\"s\":2}]");
        assertThat(r.get(0).value()).isEqualTo(JsonNumber.of(101.5));
        assertThat(r.get(1).sum()).isEqualTo(7.0);
        assertThat(r.get(1).value()).isNull();
    }

    @Test
    void relativeTimeIsAgainstNow() throws Exception {
        assertThat(json("[{\"n\":\"x\",\"v\":1,\"t\":-10}]").get(0).time()).isEqualTo(NOW - 10);
    }

    /** The CBOR representation with the integer labels of section 6 (the 5.1.2 pack). */
    @Test
    void cborWithIntegerLabels() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeStartArray();
            g.writeStartObject();
            g.writeFieldId(-2);
            g.writeString("urn:dev:ow:10e2073a01080063:");
            g.writeFieldId(0);
            g.writeString("voltage");
            g.writeFieldId(1);
            g.writeString("V");
            g.writeFieldId(2);
            g.writeNumber(120.1);
            g.writeEndObject();
            g.writeStartObject();
            g.writeFieldId(0);
            g.writeString("current");
            g.writeFieldId(1);
            g.writeString("A");
            g.writeFieldId(2);
            g.writeNumber(1.2);
            g.writeEndObject();
            g.writeStartObject();
            g.writeFieldId(0);
            g.writeString("nfc-reader");
            g.writeFieldId(8);
            g.writeBinary(new byte[] {'h', 'i'});
            g.writeEndObject();
            g.writeEndArray();
        }
        List<SenmlRecord> r = decoder.decodeCbor(out.toByteArray(), NOW);
        assertThat(r).containsExactly(
                new SenmlRecord("urn:dev:ow:10e2073a01080063:voltage", "V", JsonNumber.of(120.1), null, NOW),
                new SenmlRecord("urn:dev:ow:10e2073a01080063:current", "A", JsonNumber.of(1.2), null, NOW),
                new SenmlRecord("urn:dev:ow:10e2073a01080063:nfc-reader", null, JsonString.of("aGk"), null, NOW));
    }

    /** The 5.1.2 pack in CBOR as RFC 8428 section 6 encodes it (integer labels, half/double floats), written out byte by byte. */
    @Test
    void cborOfTheRfcExample() throws Exception {
        byte[] cbor = HexFormat.of().parseHex("82a421781c75726e3a6465763a6f773a313065323037336130313038303036333a0067766f6c7461676501615602fb405e066666666666a3006763757272656e7401614102fb3ff3333333333333");
        List<SenmlRecord> r = decoder.decodeCbor(cbor, NOW);
        assertThat(r).containsExactly(
                new SenmlRecord("urn:dev:ow:10e2073a01080063:voltage", "V", JsonNumber.of(120.1), null, NOW),
                new SenmlRecord("urn:dev:ow:10e2073a01080063:current", "A", JsonNumber.of(1.2), null, NOW));
    }

    @Test
    void malformedPacksAreRefusedWithAReason() {
        assertThatThrownBy(() -> json("[{\"n\":\"x\",\"v\":")).isInstanceOf(SenmlException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> json("{\"n\":\"x\",\"v\":1}")).hasMessageContaining("array of records");
        assertThatThrownBy(() -> json("[{\"n\":\"x\"}]")).hasMessageContaining("neither a value nor a sum");
        assertThatThrownBy(() -> json("[{\"n\":\"x\",\"v\":\"1\"}]")).hasMessageContaining("'v' must be a number");
        assertThatThrownBy(() -> json("[{\"n\":\"x\",\"v\":1,\"vb\":true}]")).hasMessageContaining("more than one value");
        assertThatThrownBy(() -> json("[{\"n\":\" bad\",\"v\":1}]")).hasMessageContaining("not a valid SenML name");
        assertThatThrownBy(() -> json("[{\"n\":\"x\",\"v\":{\"a\":1}}]")).hasMessageContaining("must be a number, string or boolean");
        assertThatThrownBy(() -> json("[{\"n\":\"x\",\"v\":1,\"foo_\":1}]")).hasMessageContaining("must be understood");
        assertThatThrownBy(() -> json("[{\"bver\":11,\"n\":\"x\",\"v\":1}]")).hasMessageContaining("version");
        assertThatThrownBy(() -> json("[{\"n\":\"x\",\"v\":1}] []")).hasMessageContaining("trailing");
        assertThatThrownBy(() -> decoder.decodeCbor(new byte[] {(byte) 0x9f, (byte) 0xa1, 0x00}, NOW)).isInstanceOf(SenmlException.class)
                .hasMessageContaining("malformed SenML CBOR");
        assertThatThrownBy(() -> new SenmlDecoder(2).decodeJson("[{\"n\":\"a\",\"v\":1},{\"n\":\"b\",\"v\":1},{\"n\":\"c\",\"v\":1}]"
                .getBytes(StandardCharsets.UTF_8), NOW)).hasMessageContaining("more than 2 records");
    }

    @Test
    void baseOnlyRecordsApplyToTheFollowingOnes() throws Exception {
        assertThat(json("[{\"bn\":\"d:\",\"bu\":\"Cel\"},{\"n\":\"t\",\"v\":1}]"))
                .containsExactly(new SenmlRecord("d:t", "Cel", JsonNumber.of(1), null, NOW));
    }
}
