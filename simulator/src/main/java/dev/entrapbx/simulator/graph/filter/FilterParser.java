package dev.entrapbx.simulator.graph.filter;

import dev.entrapbx.simulator.model.PropertyDef;
import dev.entrapbx.simulator.model.PropertyType;
import dev.entrapbx.simulator.model.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recursive-descent parser for the $filter forms a directory sync uses:
 * {@code eq}/{@code ne} on string and boolean properties (and {@code null}), {@code in (...)},
 * {@code startswith}/{@code endswith}, {@code and}/{@code or}/{@code not}, parentheses, and
 * {@code onPremisesExtensionAttributes/extensionAttributeN}. Property names are checked against the schema.
 */
public final class FilterParser {
    private final String text;
    private final Schema schema;
    private final List<Token> tokens;
    private int pos;

    private record Token(Kind kind, String text, int offset) { }

    private enum Kind { LPAREN, RPAREN, COMMA, STRING, WORD, END }

    private FilterParser(String text, Schema schema) {
        this.text = text;
        this.schema = schema;
        this.tokens = lex(text);
    }

    public static FilterExpr parse(String text, Schema schema) {
        if (text == null || text.isBlank()) {
            throw new FilterSyntaxException("Invalid filter clause: the filter is empty.");
        }
        FilterParser p = new FilterParser(text, schema);
        FilterExpr expr = p.orExpr();
        if (p.peek().kind != Kind.END) {
            throw p.error("unexpected '" + p.peek().text + "'");
        }
        return expr;
    }

    private FilterExpr orExpr() {
        FilterExpr left = andExpr();
        while (isWord("or")) {
            pos++;
            left = new FilterExpr.Or(left, andExpr());
        }
        return left;
    }

    private FilterExpr andExpr() {
        FilterExpr left = unary();
        while (isWord("and")) {
            pos++;
            left = new FilterExpr.And(left, unary());
        }
        return left;
    }

    private FilterExpr unary() {
        if (isWord("not")) {
            pos++;
            return new FilterExpr.Not(unary());
        }
        return primary();
    }

    private FilterExpr primary() {
        Token t = peek();
        if (t.kind == Kind.LPAREN) {
            pos++;
            FilterExpr inner = orExpr();
            expect(Kind.RPAREN);
            return inner;
        }
        if (t.kind != Kind.WORD) {
            throw error("expected a property or function, found '" + t.text + "'");
        }
        String word = t.text.toLowerCase(Locale.ROOT);
        if ((word.equals("startswith") || word.equals("endswith")) && tokens.get(pos + 1).kind == Kind.LPAREN) {
            pos += 2;
            String property = property(next(Kind.WORD).text);
            expect(Kind.COMMA);
            String value = next(Kind.STRING).text;
            expect(Kind.RPAREN);
            requireString(property);
            return new FilterExpr.StringFunction(word.equals("startswith")
                    ? FilterExpr.Function.STARTS_WITH : FilterExpr.Function.ENDS_WITH, property, value);
        }
        if (t.text.contains("/any(") || t.text.contains("/all(")) {
            throw new FilterSyntaxException("Lambda operators (any/all) are not supported by the simulator.");
        }
        pos++;
        String property = property(t.text);
        Token op = peek();
        if (op.kind != Kind.WORD) {
            throw error("expected an operator after '" + t.text + "'");
        }
        String opWord = op.text.toLowerCase(Locale.ROOT);
        pos++;
        switch (opWord) {
            case "eq", "ne" -> {
                Object literal = literal();
                checkType(property, literal);
                return new FilterExpr.Compare(property, opWord.equals("eq") ? FilterExpr.Op.EQ : FilterExpr.Op.NE, literal);
            }
            case "in" -> {
                expect(Kind.LPAREN);
                List<Object> values = new ArrayList<>();
                do {
                    Object literal = literal();
                    checkType(property, literal);
                    values.add(literal);
                } while (accept(Kind.COMMA));
                expect(Kind.RPAREN);
                return new FilterExpr.In(property, values);
            }
            case "gt", "ge", "lt", "le" -> throw new FilterSyntaxException(
                    "Unsupported or invalid query filter clause specified for property '" + property + "' of resource '"
                            + schema.resourceName() + "'.");
            default -> throw error("unknown operator '" + op.text + "'");
        }
    }

    private Object literal() {
        Token t = peek();
        if (t.kind == Kind.END) {
            throw error("expected a literal");
        }
        pos++;
        if (t.kind == Kind.STRING) {
            return t.text;
        }
        if (t.kind == Kind.WORD) {
            switch (t.text.toLowerCase(Locale.ROOT)) {
                case "true" -> {
                    return Boolean.TRUE;
                }
                case "false" -> {
                    return Boolean.FALSE;
                }
                case "null" -> {
                    return null;
                }
                default -> {
                    // OData allows unquoted GUIDs; treat them as strings.
                    if (t.text.matches("[0-9a-fA-F-]{36}")) {
                        return t.text;
                    }
                }
            }
        }
        throw error("expected a literal, found '" + t.text + "'");
    }

    /** Canonical property path, validated against the schema. */
    private String property(String path) {
        int slash = path.indexOf('/');
        String head = slash < 0 ? path : path.substring(0, slash);
        PropertyDef def = schema.property(head).orElseThrow(() -> new FilterSyntaxException(
                "Could not find a property named '" + head + "' on type 'microsoft.graph." + schema.odataName() + "'."));
        if (slash < 0) {
            return def.name();
        }
        if (def.type() != PropertyType.EXTENSION_ATTRIBUTES) {
            throw new FilterSyntaxException("Property '" + def.name() + "' has no sub-properties.");
        }
        String sub = path.substring(slash + 1);
        try {
            PropertyType.extensionAttributeIndex(sub);
        } catch (IllegalArgumentException e) {
            throw new FilterSyntaxException("Could not find a property named '" + sub
                    + "' on type 'microsoft.graph.onPremisesExtensionAttributes'.");
        }
        return def.name() + "/" + sub;
    }

    private PropertyType typeOf(String property) {
        return property.contains("/") ? PropertyType.STRING : schema.require(property).type();
    }

    private void requireString(String property) {
        if (typeOf(property) != PropertyType.STRING) {
            throw new FilterSyntaxException("Unsupported or invalid query filter clause specified for property '"
                    + property + "' of resource '" + schema.resourceName() + "'.");
        }
    }

    private void checkType(String property, Object literal) {
        PropertyType type = typeOf(property);
        boolean ok = switch (type) {
            case STRING -> literal == null || literal instanceof String;
            case BOOLEAN -> literal == null || literal instanceof Boolean;
            default -> false;
        };
        if (!ok) {
            String found = literal instanceof Boolean ? "Edm.Boolean" : literal == null ? "null" : "Edm.String";
            String expected = type == PropertyType.BOOLEAN ? "Edm.Boolean" : type == PropertyType.STRING
                    ? "Edm.String" : "Collection";
            throw new FilterSyntaxException("A binary operator with incompatible types was detected. Found operand "
                    + "types '" + expected + "' and '" + found + "' for operator kind 'Equal'.");
        }
    }

    private boolean isWord(String w) {
        Token t = peek();
        return t.kind == Kind.WORD && t.text.equalsIgnoreCase(w);
    }

    private Token peek() {
        return tokens.get(Math.min(pos, tokens.size() - 1));
    }

    private boolean accept(Kind kind) {
        if (peek().kind == kind) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(Kind kind) {
        next(kind);
    }

    private Token next(Kind kind) {
        Token t = peek();
        if (t.kind != kind) {
            throw error("expected " + kind.name().toLowerCase(Locale.ROOT) + ", found '" + t.text + "'");
        }
        pos++;
        return t;
    }

    private FilterSyntaxException error(String detail) {
        return new FilterSyntaxException("Invalid filter clause: Syntax error at position " + peek().offset
                + " in '" + text + "': " + detail + ".");
    }

    private static List<Token> lex(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(') {
                out.add(new Token(Kind.LPAREN, "(", i++));
            } else if (c == ')') {
                out.add(new Token(Kind.RPAREN, ")", i++));
            } else if (c == ',') {
                out.add(new Token(Kind.COMMA, ",", i++));
            } else if (c == '\'') {
                int start = i++;
                StringBuilder sb = new StringBuilder();
                while (true) {
                    if (i >= s.length()) {
                        throw new FilterSyntaxException("Invalid filter clause: unterminated string literal at position "
                                + start + " in '" + s + "'.");
                    }
                    char d = s.charAt(i++);
                    if (d == '\'') {
                        if (i < s.length() && s.charAt(i) == '\'') {
                            sb.append('\'');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        sb.append(d);
                    }
                }
                out.add(new Token(Kind.STRING, sb.toString(), start));
            } else {
                int start = i;
                while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && "(),'".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                if (i < s.length() && s.charAt(i) == '(' && s.substring(start, i).matches(".*/(any|all)")) {
                    out.add(new Token(Kind.WORD, s.substring(start, i) + "(", start));
                    i++;
                    continue;
                }
                out.add(new Token(Kind.WORD, s.substring(start, i), start));
            }
        }
        out.add(new Token(Kind.END, "end of filter", s.length()));
        return out;
    }
}
