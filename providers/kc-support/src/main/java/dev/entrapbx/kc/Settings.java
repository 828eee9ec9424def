package dev.entrapbx.kc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** What is derived from a list of {@link Setting} declarations: the console's property list, the problems, README's table. */
public final class Settings {

    /** README's settings table header, the two lines before the rows. */
    public static final List<String> TABLE_HEADER = List.of("| Setting (config key) | Default | What it does |", "|---|---|---|");

    private Settings() {
    }

    /** The factory's property list (console fields only), in declaration order, built with {@link ProviderConfigurationBuilder}. */
    public static List<ProviderConfigProperty> properties(List<? extends Setting<?>> settings) {
        ProviderConfigurationBuilder builder = ProviderConfigurationBuilder.create();
        for (Setting<?> s : settings) {
            if (!s.isConsoleField()) {
                continue;
            }
            ProviderConfigurationBuilder.ProviderConfigPropertyBuilder p = builder.property()
                    .name(s.key()).label(s.label()).helpText(s.help()).type(s.type());
            s.defaultValue().ifPresent(p::defaultValue);
            if (!s.options().isEmpty()) {
                p.options(s.options());
            }
            if (s.isRequired()) {
                p.required(true);
            }
            if (s.isSecret()) {
                p.secret(true);
            }
            p.add();
        }
        return builder.build();
    }

    /** Every setting's problem, in declaration order, without repeats. */
    public static List<String> problems(List<? extends Setting<?>> settings, Setting.Values values) {
        List<String> out = new ArrayList<>();
        for (Setting<?> s : settings) {
            s.problem(values).filter(p -> !out.contains(p)).ifPresent(out::add);
        }
        return out;
    }

    /** README's table rows, one per setting: "| Label (`key`) | default | what it does |". */
    public static List<String> markdownRows(List<? extends Setting<?>> settings) {
        return settings.stream()
                .map(s -> "| " + s.label() + " (`" + s.key() + "`) | " + cell(s.docDefault()) + " | " + cell(s.doc()) + " |")
                .toList();
    }

    /** The whole table: header and rows. */
    public static String markdownTable(List<? extends Setting<?>> settings) {
        List<String> lines = new ArrayList<>(TABLE_HEADER);
        lines.addAll(markdownRows(settings));
        return String.join("\n", lines) + "\n";
    }

    private static String cell(String text) {
        return text.replace("\n", " ").replace("|", "\\|");
    }

    /** The rows (without header) of the first table under the markdown heading {@code heading}; empty when none. */
    public static List<String> tableRowsUnder(List<String> markdownLines, String heading) {
        int i = markdownLines.indexOf(heading);
        if (i < 0) {
            return List.of();
        }
        while (++i < markdownLines.size() && !markdownLines.get(i).startsWith("|")) {
            if (markdownLines.get(i).startsWith("#")) {
                return List.of(); // next section: no table under this heading
            }
        }
        List<String> rows = new ArrayList<>();
        for (; i < markdownLines.size() && markdownLines.get(i).startsWith("|"); i++) {
            rows.add(markdownLines.get(i));
        }
        return rows.size() < 2 ? List.of() : rows.subList(2, rows.size());
    }

    /**
     * The rows of README's table under {@code heading}, in the first README.md found from {@code start}
     * upwards that has that heading: what a test compares with {@link #markdownRows}.
     *
     * @throws IllegalStateException when no README.md above {@code start} has the heading
     */
    public static List<String> readmeRows(Path start, String heading) {
        Path readme = findReadme(start, heading).orElseThrow(() -> new IllegalStateException(
                "No README.md with '" + heading + "' in " + start.toAbsolutePath() + " or above"));
        try {
            return tableRowsUnder(Files.readAllLines(readme), heading);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project's README.md: the first one found from {@code start} upwards that has {@code heading}. */
    public static Optional<Path> findReadme(Path start, String heading) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path readme = dir.resolve("README.md");
            try {
                if (Files.isRegularFile(readme) && Files.readAllLines(readme).contains(heading)) {
                    return Optional.of(readme);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.empty();
    }
}
