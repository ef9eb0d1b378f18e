package dev.teal.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.contract.ConfigException;
import dev.teal.gateway.config.PathType;
import dev.teal.gateway.config.RouteRule;
import dev.teal.gateway.config.Routes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The compiled route table's precedence, one row per rule of README › Routing. */
class RouteTableTest {

    /** Rules named by their target: the service name says which rule matched. */
    static final List<RouteRule> RULES = List.of(
            rule("a.example.com", "/", PathType.PREFIX, "a-root"),
            rule("a.example.com", "/api", PathType.PREFIX, "a-api"),
            rule("a.example.com", "/api/v2", PathType.PREFIX, "a-api-v2"),
            rule("a.example.com", "/api/v2", PathType.EXACT, "a-api-v2-exact"),
            rule("a.example.com", "/exact/", PathType.EXACT, "a-exact-slash"),
            rule("a.example.com", "/slash/", PathType.PREFIX, "a-slash-prefix"),
            rule("a.example.com", "/both", PathType.PREFIX, "a-both"),
            rule("a.example.com", "/both/", PathType.PREFIX, "a-both-slash"),
            rule("a.example.com", "/impl", PathType.IMPLEMENTATION_SPECIFIC, "a-impl"),
            rule("b.example.com", "/only", PathType.EXACT, "b-only"),
            rule("*.example.com", "/", PathType.PREFIX, "wild-root"),
            rule("*.example.com", "/w", PathType.PREFIX, "wild-w"),
            rule(null, "/", PathType.PREFIX, "any-root"),
            rule(null, "/any", PathType.EXACT, "any-exact"));

    static RouteRule rule(String host, String path, PathType type, String service) {
        return new RouteRule(host, path, type, service);
    }

    static String route(List<RouteRule> rules, String defaultService, String host, String uri) {
        Set<String> names = new LinkedHashSet<>();
        rules.forEach(r -> names.add(r.service()));
        if (defaultService != null) {
            names.add(defaultService);
        }
        List<String> order = new ArrayList<>(names);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            index.put(order.get(i), i);
        }
        int i = RouteTable.compile(new Routes(rules, defaultService), index).match(host, uri);
        return i < 0 ? "404" : order.get(i);
    }

    @ParameterizedTest(name = "{0}{1} -> {2}")
    @CsvSource({
            // longest path wins, element-wise
            "a.example.com, /, a-root",
            "a.example.com, /apix, a-root",
            "a.example.com, /api, a-api",
            "a.example.com, /api/, a-api",
            "a.example.com, /api/v1/users, a-api",
            "a.example.com, /api/v2/users, a-api-v2",
            // at equal length Exact beats Prefix; Exact is the whole path only
            "a.example.com, /api/v2, a-api-v2-exact",
            "a.example.com, /api/v2/, a-api-v2",
            "a.example.com, /exact/, a-exact-slash",
            "a.example.com, /exact, a-root",
            // trailing slash of a Prefix rule ignored; /both/ is given priority over /both
            "a.example.com, /slash, a-slash-prefix",
            "a.example.com, /slash/x, a-slash-prefix",
            "a.example.com, /both, a-both-slash",
            "a.example.com, /both/x, a-both-slash",
            // ImplementationSpecific is Prefix
            "a.example.com, /impl/x, a-impl",
            // case-sensitive path, query and fragment not part of it
            "a.example.com, /API, a-root",
            "a.example.com, /api?x=/api/v2, a-api",
            "a.example.com, /api/v2?q, a-api-v2-exact",
            "a.example.com, /api/v2#f, a-api-v2-exact",
            // absolute-form target: its path
            "a.example.com, http://a.example.com/api/v2/x, a-api-v2",
            // host: case, port and trailing dot ignored
            "A.Example.COM:8080, /api, a-api",
            "a.example.com., /api, a-api",
            // precise host beats wildcard, wildcard beats no host; a level without a matching path falls through
            "b.example.com, /only, b-only",
            "b.example.com, /w/x, wild-w",
            "b.example.com, /other, wild-root",
            "c.example.com, /w, wild-w",
            // a wildcard covers exactly one label
            "x.c.example.com, /w, any-root",
            "example.com, /w, any-root",
            ".example.com, /w, any-root",
            "other.test, /any, any-exact",
            "other.test, /any/x, any-root",
    })
    void precedence(String host, String uri, String expected) {
        assertThat(route(RULES, null, host, uri)).isEqualTo(expected);
    }

    @Test
    void withoutHostHeaderOnlyRulesWithoutHostAndTheDefaultApply() {
        assertThat(route(RULES, null, null, "/api")).isEqualTo("any-root");
        List<RouteRule> hostOnly = List.of(rule("a.example.com", "/", PathType.PREFIX, "a"));
        assertThat(route(hostOnly, null, null, "/")).isEqualTo("404");
        assertThat(route(hostOnly, "fallback", null, "/")).isEqualTo("fallback");
        assertThat(route(hostOnly, "fallback", "b.example.com", "/")).isEqualTo("fallback");
    }

    @Test
    void prefixMatchesWholeElementsOnly() {
        List<RouteRule> rules = List.of(rule("h", "/aaa/bbb", PathType.PREFIX, "bbb"),
                rule("h", "/aaa/bb", PathType.PREFIX, "bb"));
        assertThat(route(rules, null, "h", "/aaa/bbbxyz")).isEqualTo("404");
        assertThat(route(rules, null, "h", "/aaa/bbb")).isEqualTo("bbb");
        assertThat(route(rules, null, "h", "/aaa/bb/c")).isEqualTo("bb");
        assertThat(route(rules, null, "h", "/aaa")).isEqualTo("404");
        assertThat(route(List.of(rule("h", "/bar/", PathType.PREFIX, "bar")), null, "h", "/bar//bershop"))
                .isEqualTo("bar");
    }

    @Test
    void rulePathsThatCannotMatchLiterallyAreRefused() {
        for (String bad : List.of("foo", "/foo*", "/api/.*", "/v[12]", "/a|b", "/a b", "/a//b", "/a/../b", "/a%2Fb")) {
            assertThatThrownBy(() -> rule("h", bad, PathType.PREFIX, "s")).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> PathType.parse("Regex")).hasMessageContaining("unknown pathType 'Regex'");
        assertThatThrownBy(() -> rule("*", "/", PathType.PREFIX, "s")).isInstanceOf(ConfigException.class);
    }

    @Test
    void sameHostPathAndMatchTwiceIsRefused() {
        assertThatThrownBy(() -> new Routes(List.of(rule("h", "/a", PathType.PREFIX, "x"),
                rule("h", "/a", PathType.IMPLEMENTATION_SPECIFIC, "y")), null))
                .hasMessageContaining("same host, path and pathType");
    }
}
