package io.rosetta.security.internal;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The administrator's first password: taken from the environment variable {@value #ENVIRONMENT_VARIABLE} or
 * the system property {@value #SYSTEM_PROPERTY}, else generated at random.
 */
record AdminPassword(String value, Source source) {

    static final String ENVIRONMENT_VARIABLE = "ROSETTA_ADMIN_PASSWORD";
    static final String SYSTEM_PROPERTY = "rosetta.admin.password";
    static final int MINIMUM_LENGTH = 8;
    static final int GENERATED_LENGTH = 24;

    /** No 0/O, 1/l/I: a generated password is read off a screen and typed. */
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    enum Source { ENVIRONMENT, SYSTEM_PROPERTY, GENERATED }

    AdminPassword {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }

    /** What a first start does with a password that was given but is unusable. */
    static final class RejectedPasswordException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        RejectedPasswordException(String message) {
            super(message);
        }
    }

    /**
     * Picks the password: the environment wins over the system property; a blank value counts as absent.
     *
     * @throws RejectedPasswordException if a given password is shorter than {@value #MINIMUM_LENGTH} characters
     */
    static AdminPassword choose(UnaryOperator<String> environment, UnaryOperator<String> systemProperties,
            SecureRandom random) {
        String fromEnvironment = environment.apply(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return checked(fromEnvironment, Source.ENVIRONMENT, ENVIRONMENT_VARIABLE);
        }
        String fromProperty = systemProperties.apply(SYSTEM_PROPERTY);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return checked(fromProperty, Source.SYSTEM_PROPERTY, SYSTEM_PROPERTY);
        }
        return generate(random);
    }

    static AdminPassword generate(SecureRandom random) {
        char[] chars = new char[GENERATED_LENGTH];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new AdminPassword(new String(chars), Source.GENERATED);
    }

    private static AdminPassword checked(String value, Source source, String origin) {
        if (value.length() < MINIMUM_LENGTH) {
            throw new RejectedPasswordException(origin + " is shorter than " + MINIMUM_LENGTH
                    + " characters: not used for the administrator");
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf(',') >= 0) {
            throw new RejectedPasswordException(origin + " contains a line break or a comma: not used for the administrator");
        }
        return new AdminPassword(value, source);
    }

    @Override
    public String toString() {
        return "AdminPassword[source=" + source + "]";
    }
}
