package dev.bhatti.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class EgressPolicyTest {
    @Test
    void entriesAreAddressesRangesDomainsAndWildcardsWithOptionalPorts() {
        EgressPolicy p = EgressPolicy.parse(List.of("1.2.3.4", "10.1.2.3/8", "10.0.0.0/8:443", "Example.COM",
                "*.pkg.dev:443"), List.of("198.51.100.0/24"), true);
        assertThat(p.allowOut()).containsExactly(new EgressPolicy.Net("1.2.3.4/32", 0), new EgressPolicy.Net("10.0.0.0/8", 0),
                new EgressPolicy.Net("10.0.0.0/8", 443), new EgressPolicy.Domain("example.com", false, 0),
                new EgressPolicy.Domain("pkg.dev", true, 443));
        assertThat(p.allowTexts()).containsExactly("1.2.3.4", "10.0.0.0/8", "10.0.0.0/8:443", "example.com", "*.pkg.dev:443");
        assertThat(p.blockAll()).isTrue();
    }

    @Test
    void aWildcardCoversNamesBelowTheDomainButNotTheDomainItself() {
        EgressPolicy.Domain d = (EgressPolicy.Domain) EgressPolicy.rule("*.example.com");
        assertThat(d.matches("api.example.com")).isTrue();
        assertThat(d.matches("a.b.EXAMPLE.com")).isTrue();
        assertThat(d.matches("example.com")).isFalse();
        assertThat(d.matches("badexample.com")).isFalse();
    }

    @Test
    void aBadEntryIsNamedWithItsListAndIndex() {
        assertThatThrownBy(() -> EgressPolicy.parse(List.of("1.2.3.4", "1.2.3.4/33"), List.of(), false))
                .hasMessageContaining("allow_out[1]").hasMessageContaining("1.2.3.4/33");
        assertThatThrownBy(() -> EgressPolicy.parse(List.of(), List.of("exa mple.com"), false))
                .hasMessageContaining("deny_out[0]").hasMessageContaining("not an IPv4 address, a CIDR, a domain");
        assertThatThrownBy(() -> EgressPolicy.parse(List.of("example.com:0"), List.of(), false))
                .hasMessageContaining("a port is 1 to 65535");
        assertThatThrownBy(() -> EgressPolicy.parse(List.of("::1"), List.of(), false)).hasMessageContaining("allow_out[0]");
        assertThatThrownBy(() -> EgressPolicy.parse(Collections.nCopies(257, "1.1.1.1"), List.of(), false))
                .hasMessageContaining("at most 256");
    }

    @Test
    void theRelayRefusesDeniedNamesAndUnderBlockAllEveryNameNotAllowed() {
        EgressPolicy deny = EgressPolicy.parse(List.of(), List.of("*.ads.test"), false);
        assertThat(deny.resolves("x.ads.test")).isFalse();
        assertThat(deny.resolves("ok.test")).isTrue();
        EgressPolicy only = EgressPolicy.parse(List.of("api.test"), List.of(), true);
        assertThat(only.resolves("api.test")).isTrue();
        assertThat(only.resolves("exfil.test")).isFalse();
        assertThat(EgressPolicy.OPEN.resolves("anything.test")).isTrue();
    }

    @Test
    void theNamespaceTableHoldsThePolicysRangesAndBlockAll() {
        String open = NetnsRules.ruleset("10.213.0.5", EgressPolicy.OPEN, "bhv0");
        assertThat(open).doesNotContain("elements = { 198.51.100.0/24").contains("@not_outside log prefix \"bhatti-egress bhv0 D \"");
        long drops = open.lines().filter(l -> l.contains("oifname \"up0\" log prefix")).count();
        assertThat(drops).as("no block_all rule without block_all").isZero();
        String closed = NetnsRules.ruleset("10.213.0.5", EgressPolicy.parse(List.of("10.99.0.0/24:8080"),
                List.of("198.51.100.0/24"), true), "bhv0");
        assertThat(closed).contains("elements = { 10.99.0.0/24 . 8080 }").contains("elements = { 198.51.100.0/24 }")
                .contains("oifname \"up0\" log prefix \"bhatti-egress bhv0 D \" level debug drop");
    }
}
