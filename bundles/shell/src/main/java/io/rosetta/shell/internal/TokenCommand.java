package io.rosetta.shell.internal;

import io.rosetta.security.Tokens;
import io.rosetta.security.Tokens.IssuedToken;
import io.rosetta.security.Tokens.TokenInfo;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code rosetta:token create <name> [--user u] [--expires e]}, {@code rosetta:token list},
 * {@code rosetta:token revoke <name>}: the API's bearer tokens. A new token is printed once; only its
 * SHA-256 digest is kept.
 */
@Service
@Command(scope = "rosetta", name = "token", description = "Creates, lists and revokes bearer tokens of the HTTP API",
        detailedDescription = "rosetta:token create <name> [--user <user>] [--expires <2026-12-31 | 2026-12-31T12:00:00Z | 30d | 12h | 45m>]\n"
                + "rosetta:token list\nrosetta:token revoke <name>\n"
                + "A token acts as the subject token:<name> (give it grants with rosetta:grant) and, with --user, also with that user's grants.")
public class TokenCommand implements Action {

    @Argument(index = 0, name = "action", description = "create, list or revoke", required = true)
    @Completion(value = StringsCompleter.class, values = {"create", "list", "revoke"})
    String action;

    @Argument(index = 1, name = "name", description = "The token's name (create, revoke)")
    @Completion(TokenNameCompleter.class)
    String name;

    /** Karaf parses options only before the first argument: {@code --user}/{@code --expires} after the name arrive here. */
    @Argument(index = 2, name = "options", description = "--user <user> and --expires <when>, also accepted after the name", multiValued = true)
    List<String> trailing;

    @Option(name = "--user", description = "The user the token acts for (its grants apply too)")
    String user;

    @Option(name = "--expires", description = "When the token stops working: a date, an instant, or a duration from now (30d, 12h, 45m, PT1H)")
    String expires;

    @Reference
    Tokens tokens;

    PrintStream out = System.out;
    Clock clock = Clock.systemUTC();

    @Override
    public Object execute() throws CommandException {
        takeTrailingOptions();
        try {
            switch (action.toLowerCase(Locale.ROOT)) {
                case "create" -> create();
                case "list" -> table(tokens.list(), clock.instant()).print(out);
                case "revoke" -> {
                    if (!tokens.revoke(requireName())) {
                        throw new CommandException("No token named '" + name + "'.");
                    }
                    out.println("Token '" + name + "' revoked; its grants are removed.");
                }
                default -> throw new CommandException("Unknown action '" + action + "': use create, list or revoke.");
            }
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new CommandException(e.getMessage());
        }
        return null;
    }

    private void create() throws CommandException {
        IssuedToken issued = tokens.create(requireName(), user, expires == null ? null : expiry(expires, clock.instant()));
        TokenInfo info = issued.info();
        out.println("Token '" + info.name() + "' created" + (info.user() == null ? "" : " for user '" + info.user() + "'")
                + (info.expires() == null ? "" : ", expires " + info.expires()) + ". It is shown only now; store it safely:");
        out.println(issued.secret());
        out.println("Use it as 'Authorization: Bearer <token>'; give it access with: rosetta:grant token:" + info.name() + " <namespace> READ|WRITE|ADMIN");
    }

    private void takeTrailingOptions() throws CommandException {
        if (trailing == null) {
            return;
        }
        for (int i = 0; i < trailing.size(); i++) {
            String option = trailing.get(i);
            if (!option.equals("--user") && !option.equals("--expires") || i + 1 == trailing.size()) {
                throw new CommandException("Unexpected '" + option + "': rosetta:token create <name> [--user <user>] [--expires <when>]");
            }
            String value = trailing.get(++i);
            if (option.equals("--user")) {
                user = value;
            } else {
                expires = value;
            }
        }
    }

    private String requireName() throws CommandException {
        if (name == null || name.isBlank()) {
            throw new CommandException("rosetta:token " + action + " needs the token's name.");
        }
        return name;
    }

    /** A date (its start, UTC), an instant, or a duration from now. */
    static Instant expiry(String text, Instant now) {
        String t = text.trim();
        try {
            if (t.matches("\\d+[dhm]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                return switch (t.charAt(t.length() - 1)) {
                    case 'd' -> now.plus(Duration.ofDays(n));
                    case 'h' -> now.plus(Duration.ofHours(n));
                    default -> now.plus(Duration.ofMinutes(n));
                };
            }
            if (t.startsWith("P") || t.startsWith("p")) {
                return now.plus(Duration.parse(t));
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return Instant.parse(t);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("Invalid --expires '" + text + "': a date (2026-12-31), an instant (2026-12-31T12:00:00Z) or a duration (30d, 12h, 45m, PT1H).");
        }
    }

    static ShellTable table(List<TokenInfo> list, Instant now) {
        ShellTable table = new ShellTable().emptyTableText("No tokens. Create one with rosetta:token create <name>.");
        table.column("Name");
        table.column("User");
        table.column("Created");
        table.column("Expires");
        table.column("State");
        for (TokenInfo t : list) {
            table.addRow().addContent(t.name(), t.user() == null ? "-" : t.user(), t.created(),
                    t.expires() == null ? "never" : t.expires(), t.expiredAt(now) ? "expired" : "valid");
        }
        return table;
    }
}
