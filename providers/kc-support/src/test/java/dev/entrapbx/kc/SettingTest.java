package dev.entrapbx.kc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.provider.ProviderConfigProperty;

class SettingTest {

    enum Color { RED, BLUE }

    static final Setting<Optional<String>> NAME = Setting.text("name").label("Name").help("The name.")
            .required("Name is required.").build();
    static final Setting<Color> COLOR = Setting.choice("color", (Color c) -> c.name().toLowerCase(),
            v -> "Color '" + v + "' is unknown.", Color.RED, Color.values()).label("Color").help("Which color.").build();
    static final Setting<Integer> SIZE = Setting.number("size", 5).label("Size").help("How big.")
            .check(n -> n >= 0, "Size cannot be negative.").build();
    static final Setting<Boolean> ON = Setting.flag("on", true).label("On").help("Switch.").build();
    static final Setting<List<String>> IDS = Setting.list("ids", ",").label("IDs").help("Some | ids.")
            .required("Blue needs ids.").when(v -> COLOR.get(v) == Color.BLUE).build();
    static final Setting<Optional<String>> KEY = Setting.text("key").label("Key").help("Secret.").secret().build();
    static final List<Setting<?>> ALL = List.of(NAME, COLOR, SIZE, ON, IDS, KEY);

    @Test
    void valuesAreTrimmedAndDefaulted() {
        Setting.Values v = Setting.Values.of(Map.of("name", "  x ", "size", " ", "color", "BLUE"));
        assertThat(NAME.get(v)).contains("x");
        assertThat(SIZE.get(v)).isEqualTo(5);
        assertThat(COLOR.get(v)).isEqualTo(Color.BLUE);
        assertThat(ON.get(v)).isTrue();
        assertThat(KEY.get(v)).isEmpty();
        assertThat(COLOR.getOrDefault(Setting.Values.of(Map.of("color", "green")))).as("unknown: the default").isEqualTo(Color.RED);
        MultivaluedHashMap<String, String> m = new MultivaluedHashMap<>();
        m.add("ids", "a, b");
        m.add("ids", "c\nd");
        m.add("ids", " ");
        assertThat(IDS.get(Setting.Values.of(m))).containsExactly("a", "b", "c", "d");
    }

    @Test
    void problemsSayWhatToFix() {
        assertThat(Settings.problems(ALL, Setting.Values.of(Map.of()))).containsExactly("Name is required.");
        assertThat(Settings.problems(ALL, Setting.Values.of(Map.of("name", "n", "color", "green", "size", "big"))))
                .containsExactly("Color 'green' is unknown.", "Size must be a whole number; got 'big'.");
        assertThat(Settings.problems(ALL, Setting.Values.of(Map.of("name", "n", "color", "blue", "size", "-1"))))
                .containsExactly("Size cannot be negative.", "Blue needs ids.");
    }

    @Test
    void propertiesCarryTheDeclaration() {
        List<ProviderConfigProperty> p = Settings.properties(ALL);
        assertThat(p).extracting(ProviderConfigProperty::getName).containsExactly("name", "color", "size", "on", "ids", "key");
        assertThat(p.get(0).isRequired()).isTrue();
        assertThat(p.get(1).getOptions()).containsExactly("red", "blue");
        assertThat(p.get(1).getDefaultValue()).isEqualTo("red");
        assertThat(p.get(3).getType()).isEqualTo(ProviderConfigProperty.BOOLEAN_TYPE);
        assertThat(p.get(4).isRequired()).as("required only when blue").isFalse();
        assertThat(p.get(5).isSecret()).isTrue();
        assertThat(p.get(5).getType()).isEqualTo(ProviderConfigProperty.PASSWORD);
    }

    @Test
    void readmeTableRoundTrips() {
        String table = Settings.markdownTable(ALL);
        assertThat(table).contains("| Name (`name`) | required | The name. |", "| Color (`color`) | `red` | Which color. |",
                "| Size (`size`) | 5 | How big. |", "| On (`on`) | on | Switch. |", "| IDs (`ids`) | - | Some \\| ids. |");
        List<String> readme = new java.util.ArrayList<>(List.of("# T", "", "## Section", "", "Text."));
        readme.addAll(List.of(table.split("\n")));
        readme.addAll(List.of("", "## Next", "| a |", "|---|", "| b |"));
        assertThat(Settings.tableRowsUnder(readme, "## Section")).isEqualTo(Settings.markdownRows(ALL));
        assertThat(Settings.tableRowsUnder(readme, "## Missing")).isEmpty();
    }
}
