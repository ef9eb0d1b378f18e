package dev.teal.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CookiePairsTest {
    @Test
    void readsTheValueOfTheExactNameOnly() {
        assertThat(CookiePairs.value("a=1; teal-color=green; b=2", "teal-color")).isEqualTo("green");
        assertThat(CookiePairs.value("xteal-color=red; teal-color=\"green\"", "teal-color")).isEqualTo("green");
        assertThat(CookiePairs.value("a=teal-color=red", "teal-color")).isNull();
        assertThat(CookiePairs.value("Teal-Color=green", "teal-color")).as("cookie names are case-sensitive").isNull();
        assertThat(CookiePairs.value("", "teal-color")).isNull();
    }

    @Test
    void removesOnlyThatPairAndKeepsTheRestByteForByte() {
        assertThat(CookiePairs.without("a=1;  theme=dark; teal-v=blue; b=\"x y\"", "teal-v"))
                .isEqualTo("a=1;  theme=dark; b=\"x y\"");
        assertThat(CookiePairs.without("teal-v=blue; a=1", "teal-v")).isEqualTo("a=1");
        assertThat(CookiePairs.without("a=1; teal-v=blue", "teal-v")).isEqualTo("a=1");
        assertThat(CookiePairs.without("teal-v=blue", "teal-v")).isNull();
        assertThat(CookiePairs.without("teal-v=a; x=1; teal-v=b", "teal-v")).isEqualTo("x=1");
        String untouched = "a=1;b=2; c=teal-v";
        assertThat(CookiePairs.without(untouched, "teal-v")).isSameAs(untouched);
    }
}
