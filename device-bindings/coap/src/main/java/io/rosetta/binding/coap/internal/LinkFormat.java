package io.rosetta.binding.coap.internal;

import io.rosetta.binding.coap.RejectReason;
import java.util.ArrayList;
import java.util.List;

/** Reads a CoRE link-format payload (RFC 6690) into links; refuses what is not link-format. */
final class LinkFormat {

    private LinkFormat() {
    }

    static List<Registration.Link> parse(String text) throws RejectedException {
        List<Registration.Link> links = new ArrayList<>();
        String s = text.trim();
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) != '<') {
                throw bad("a link must start with '<' at position " + i);
            }
            int close = s.indexOf('>', i);
            if (close < 0) {
                throw bad("unterminated '<' at position " + i);
            }
            String target = s.substring(i + 1, close);
            if (target.isEmpty() || target.contains(" ")) {
                throw bad("'" + target + "' is not a link target");
            }
            i = close + 1;
            boolean obs = false;
            String rt = null;
            while (i < s.length() && s.charAt(i) == ';') {
                int end = i + 1;
                boolean quoted = false;
                while (end < s.length() && (quoted || (s.charAt(end) != ';' && s.charAt(end) != ','))) {
                    if (s.charAt(end) == '"') {
                        quoted = !quoted;
                    }
                    end++;
                }
                if (quoted) {
                    throw bad("unterminated quoted value");
                }
                String param = s.substring(i + 1, end).trim();
                int eq = param.indexOf('=');
                String name = eq < 0 ? param : param.substring(0, eq);
                if (name.isEmpty()) {
                    throw bad("empty link parameter");
                }
                if (name.equals("obs")) {
                    obs = true;
                } else if (name.equals("rt") && eq > 0) {
                    rt = param.substring(eq + 1).replace("\"", "");
                }
                i = end;
            }
            links.add(new Registration.Link(target, obs, rt));
            if (i < s.length()) {
                if (s.charAt(i) != ',') {
                    throw bad("expected ',' at position " + i);
                }
                i++;
                while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
            }
        }
        return List.copyOf(links);
    }

    private static RejectedException bad(String message) {
        return new RejectedException(RejectReason.BAD_REGISTRATION, "malformed link-format: " + message);
    }
}
