package io.rosetta.search.internal;

/**
 * Ditto's {@code like} patterns: {@code *} matches any run of characters (also none), {@code ?}
 * exactly one; everything else matches itself. Greedy two-pointer matching with backtracking to
 * the last {@code *}: linear in practice, never exponential.
 */
final class Wildcards {

    private Wildcards() {
    }

    static boolean matches(String pattern, String s, boolean ignoreCase) {
        int p = 0;
        int i = 0;
        int star = -1;
        int mark = 0;
        while (i < s.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || same(pattern.charAt(p), s.charAt(i), ignoreCase))) {
                p++;
                i++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = i;
            } else if (star >= 0) {
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || ignoreCase && (Character.toLowerCase(a) == Character.toLowerCase(b)
                || Character.toUpperCase(a) == Character.toUpperCase(b));
    }

    /** The characters before the first wildcard: every match starts with them. */
    static String literalPrefix(String pattern) {
        int i = 0;
        while (i < pattern.length() && pattern.charAt(i) != '*' && pattern.charAt(i) != '?') {
            i++;
        }
        return pattern.substring(0, i);
    }
}
