package dev.entrapbx.simulator;

import dev.entrapbx.simulator.graph.filter.FilterAnalysis;
import dev.entrapbx.simulator.graph.filter.FilterEvaluator;
import dev.entrapbx.simulator.graph.filter.FilterExpr;
import dev.entrapbx.simulator.graph.filter.FilterParser;
import dev.entrapbx.simulator.graph.filter.FilterSyntaxException;
import dev.entrapbx.simulator.model.Schema;
import dev.entrapbx.simulator.model.User;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilterParserTest {
    private static final User ADA = User.builder().id("0f000000-0000-0000-0000-000000000001")
            .userPrincipalName("ada@contoso.example").displayName("Ada O'Brien").department("Sales")
            .extensionAttribute(1, "4711").accountEnabled(true).build();

    private static boolean matches(String filter) {
        return FilterEvaluator.matches(FilterParser.parse(filter, Schema.USER), ADA);
    }

    @Test
    void evaluatesComparisonsCaseInsensitivelyWithBooleansAndNull() {
        assertThat(matches("department eq 'SALES'")).isTrue();
        assertThat(matches("department ne 'Sales'")).isFalse();
        assertThat(matches("accountEnabled eq true")).isTrue();
        assertThat(matches("jobTitle eq null")).isTrue();
        assertThat(matches("displayName eq 'Ada O''Brien'")).isTrue();
        assertThat(matches("onPremisesExtensionAttributes/extensionAttribute1 eq '4711'")).isTrue();
        assertThat(matches("onPremisesExtensionAttributes/extensionAttribute2 eq null")).isTrue();
    }

    @Test
    void evaluatesFunctionsInAndLogic() {
        assertThat(matches("startsWith(userPrincipalName,'ADA@')")).isTrue();
        assertThat(matches("endswith(userPrincipalName,'@contoso.example')")).isTrue();
        assertThat(matches("id in ('x', '0f000000-0000-0000-0000-000000000001')")).isTrue();
        assertThat(matches("not (department eq 'Support') and (accountEnabled eq false or startswith(displayName,'Ada'))"))
                .isTrue();
        assertThat(matches("department eq 'Support' or department eq 'Finance'")).isFalse();
    }

    @Test
    void knowsWhatNeedsAdvancedQueries() {
        assertThat(FilterAnalysis.advancedConstruct(FilterParser.parse("department eq 'x'", Schema.USER))).isEmpty();
        assertThat(FilterAnalysis.advancedConstruct(FilterParser.parse("department ne 'x'", Schema.USER))).isPresent();
        assertThat(FilterAnalysis.advancedConstruct(FilterParser.parse("not(department eq 'x')", Schema.USER))).isPresent();
        assertThat(FilterAnalysis.advancedConstruct(FilterParser.parse("endswith(mail,'x')", Schema.USER))).isPresent();
        assertThat(FilterAnalysis.advancedConstruct(FilterParser.parse(
                "onPremisesExtensionAttributes/extensionAttribute7 eq 'x'", Schema.USER))).hasValueSatisfying(
                s -> assertThat(s).contains("extensionAttribute7"));
    }

    @Test
    void extractsIdOnlyFilters() {
        FilterExpr ids = FilterParser.parse("id eq 'A' or id eq 'b' or id in ('c')", Schema.USER);
        assertThat(FilterAnalysis.onlyIds(ids)).hasValue(List.of("a", "b", "c"));
        assertThat(FilterAnalysis.onlyIds(FilterParser.parse("id eq 'a' and id eq 'b'", Schema.USER))).isEmpty();
    }

    @Test
    void rejectsUnknownPropertiesTypeMismatchesAndSyntaxErrors() {
        assertThatThrownBy(() -> FilterParser.parse("shoeSize eq '42'", Schema.USER))
                .isInstanceOf(FilterSyntaxException.class).hasMessageContaining("shoeSize");
        assertThatThrownBy(() -> FilterParser.parse("accountEnabled eq 'yes'", Schema.USER))
                .hasMessageContaining("incompatible types");
        assertThatThrownBy(() -> FilterParser.parse("department eq 'x", Schema.USER)).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> FilterParser.parse("(department eq 'x'", Schema.USER)).hasMessageContaining("Syntax error");
        assertThatThrownBy(() -> FilterParser.parse("businessPhones/any(p:p eq '1')", Schema.USER))
                .hasMessageContaining("Lambda");
        assertThatThrownBy(() -> FilterParser.parse("onPremisesExtensionAttributes/extensionAttribute16 eq 'x'",
                Schema.USER)).hasMessageContaining("extensionAttribute16");
    }
}
