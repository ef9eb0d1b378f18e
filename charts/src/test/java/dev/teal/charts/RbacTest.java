package dev.teal.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Least privilege: what each ServiceAccount may do, as the union of the roles bound to it. */
class RbacTest {
    private static final Set<String> READ = Set.of("get", "list", "watch");

    /** One permission: verb on group/resource, with the names it is limited to ("" = any). */
    record Grant(String group, String resource, String verb, String names) implements Comparable<Grant> {
        @Override
        public int compareTo(Grant o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return (group.isEmpty() ? "core" : group) + "/" + resource + ":" + verb + (names.isEmpty() ? "" : "@" + names);
        }
    }

    /** A role's rules with the namespace they apply in ("*" for a ClusterRole bound cluster-wide). */
    record Bound(String namespace, List<PolicyRule> rules) {}

    @Test
    void noRbacRuleUsesWildcards() {
        for (var manifests : List.of(TealChart.render(), TealChart.render(TealChart.ALL_FEATURES_ON))) {
            Stream<PolicyRule> rules = Stream.concat(
                    manifests.all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()),
                    manifests.all(Role.class).stream().flatMap(r -> r.getRules().stream()));
            rules.forEach(rule -> assertThat(Stream.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs(),
                            rule.getResourceNames(), rule.getNonResourceURLs())
                    .flatMap(List::stream))
                    .as("rule %s", rule)
                    .noneMatch(s -> s.contains("*")));
        }
    }

    @Test
    void gatewayRbacReadsWhatItRoutesByAndWritesOnlyIngressStatusAndEvents() {
        assertThat(grants(TealChart.render(), "teal-gateway")).containsExactlyInAnyOrderElementsOf(grants(
                verbs("", "services", "list", "watch"),
                verbs("discovery.k8s.io", "endpointslices", "list", "watch"),
                read("networking.k8s.io", "ingresses"),
                verbs("networking.k8s.io", "ingressclasses", "list", "watch"),
                verbs("", "events", "create"),
                List.of(new Grant("networking.k8s.io", "ingresses/status", "patch", ""))));
    }

    @Test
    void gatewayWithoutPublishStatusWritesOnlyEvents() {
        var manifests = TealChart.render("gateway: {publishStatus: false}");
        assertThat(grants(manifests, "teal-gateway")).allMatch(g -> READ.contains(g.verb())
                || g.resource().equals("events") && g.verb().equals("create"), "read-only but for Events");
    }

    @Test
    void gatewayHasNoSecretAccessUnlessTlsFromIngresses() {
        assertThat(grants(TealChart.render(), "teal-gateway")).noneMatch(g -> g.resource().startsWith("secrets"));
        assertThat(grants(TealChart.render("gateway: {tls: {enabled: true}}"), "teal-gateway"))
                .noneMatch(g -> g.resource().startsWith("secrets"));
        // gateway.tls.fromIngresses (on in ALL_FEATURES_ON, with watchNamespace shop): list and watch, nothing else
        assertThat(bound(TealChart.render(TealChart.ALL_FEATURES_ON), "teal-gateway"))
                .filteredOn(b -> b.rules().stream().anyMatch(r -> r.getResources().contains("secrets")))
                .singleElement().satisfies(b -> {
                    assertThat(b.namespace()).isEqualTo("shop");
                    assertThat(b.rules()).singleElement().satisfies(r -> assertThat(r.getVerbs())
                            .containsExactly("list", "watch"));
                });
    }

    @Test
    void controllerRbacGrantsExactlyTheCutoverWrites() {
        assertThat(grants(TealChart.render(), "teal-controller")).containsExactlyInAnyOrderElementsOf(grants(
                verbs("", "services", "get", "list", "watch", "create", "patch"),
                verbs("discovery.k8s.io", "endpointslices", "list", "watch"),
                verbs("apps", "deployments", "get", "list", "watch"),
                verbs("apps", "deployments/scale", "patch"),
                verbs("", "events", "create"),
                verbs("networking.k8s.io", "ingresses", "get", "list", "patch"),
                verbs("coordination.k8s.io", "leases", "create"),
                List.of(new Grant("coordination.k8s.io", "leases", "get", "teal-controller"),
                        new Grant("coordination.k8s.io", "leases", "patch", "teal-controller"))));
        assertThat(grants(TealChart.render(), "teal-controller")).noneMatch(g -> g.resource().startsWith("secrets"));
    }

    @Test
    void controllerLeaseRightsHoldOnlyInTheReleaseNamespace() {
        var manifests = TealChart.render();
        assertThat(bound(manifests, "teal-controller"))
                .filteredOn(b -> b.rules().stream().anyMatch(r -> r.getResources().contains("leases")))
                .singleElement()
                .satisfies(b -> assertThat(b.namespace()).isEqualTo(TealChart.NAMESPACE));
    }

    @Test
    void watchNamespaceNarrowsRbacToThatNamespace() {
        var manifests = TealChart.render(TealChart.ALL_FEATURES_ON); // watchNamespace: shop
        for (String account : List.of("teal-gateway", "teal-controller")) {
            for (Bound b : bound(manifests, account)) {
                boolean onlyIngressClasses = b.rules().stream().allMatch(r -> r.getResources().equals(List.of("ingressclasses")));
                if (!onlyIngressClasses) {
                    assertThat(b.namespace()).as("%s rules %s", account, b.rules()).isIn("shop", TealChart.NAMESPACE);
                }
            }
        }
        // reads outside "shop" are pinned to the chart's own objects
        assertThat(bound(manifests, "teal-gateway")).filteredOn(b -> b.namespace().equals(TealChart.NAMESPACE))
                .flatMap(Bound::rules)
                .allSatisfy(rule -> assertThat(rule.getResourceNames()).containsExactly("teal-gateway"));
        assertThat(grants(manifests, "teal-controller"))
                .contains(new Grant("coordination.k8s.io", "leases", "patch", "teal-leader"));
    }

    // --- collecting grants -------------------------------------------------------------

    static Set<Grant> grants(TealChart.Manifests manifests, String serviceAccount) {
        Set<Grant> grants = new TreeSet<>();
        for (Bound b : bound(manifests, serviceAccount)) {
            for (PolicyRule rule : b.rules()) {
                String names = String.join(",", rule.getResourceNames());
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String verb : rule.getVerbs()) {
                            grants.add(new Grant(group, resource, verb, names));
                        }
                    }
                }
            }
        }
        return grants;
    }

    static List<Bound> bound(TealChart.Manifests manifests, String serviceAccount) {
        List<Bound> result = new ArrayList<>();
        for (ClusterRoleBinding binding : manifests.all(ClusterRoleBinding.class)) {
            if (bindsAccount(binding.getSubjects(), serviceAccount)) {
                result.add(new Bound("*", rulesOf(manifests, binding.getRoleRef(), null)));
            }
        }
        for (RoleBinding binding : manifests.all(RoleBinding.class)) {
            if (bindsAccount(binding.getSubjects(), serviceAccount)) {
                String namespace = binding.getMetadata().getNamespace();
                result.add(new Bound(namespace, rulesOf(manifests, binding.getRoleRef(), namespace)));
            }
        }
        return result;
    }

    private static boolean bindsAccount(List<Subject> subjects, String serviceAccount) {
        return subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
                && serviceAccount.equals(s.getName())
                && TealChart.NAMESPACE.equals(s.getNamespace()));
    }

    private static List<PolicyRule> rulesOf(TealChart.Manifests manifests, RoleRef ref, String namespace) {
        if ("ClusterRole".equals(ref.getKind())) {
            return manifests.get(ClusterRole.class, ref.getName()).getRules();
        }
        // a Role is found in the binding's namespace (the same name may be used in several namespaces)
        Role role = manifests.all(Role.class).stream().filter(r -> ref.getName().equals(r.getMetadata().getName())
                        && namespace.equals(r.getMetadata().getNamespace())).findFirst()
                .orElseThrow(() -> new AssertionError("no Role " + ref.getName() + " in namespace " + namespace));
        return role.getRules();
    }

    private static List<Grant> read(String group, String resource) {
        return verbs(group, resource, "get", "list", "watch");
    }

    private static List<Grant> verbs(String group, String resource, String... verbs) {
        return Stream.of(verbs).map(v -> new Grant(group, resource, v, "")).toList();
    }

    @SafeVarargs
    private static Set<Grant> grants(List<Grant>... parts) {
        Set<Grant> all = new TreeSet<>();
        for (List<Grant> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
