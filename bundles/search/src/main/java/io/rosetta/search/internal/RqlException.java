package io.rosetta.search.internal;

/** A malformed RQL filter or search option, with the 0-based position in the text where it went wrong. */
public final class RqlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String input;
    private final int position;

    RqlException(String input, int position, String problem) {
        super(problem + " at position " + position + " of <" + input + ">");
        this.input = input;
        this.position = position;
    }

    public String input() {
        return input;
    }

    public int position() {
        return position;
    }
}
