package dev.teal.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.gateway.discovery.ApiCall;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the code sends is what the chart allows. {@link CutoverScenario} runs a full cutover with the gateway and the
 * controller started from the rendered command lines, each with its own ServiceAccount's token; every request the
 * mock API server received is turned into the authorizer's question (verb, group, resource/subresource, namespace,
 * name) and answered from the Roles and ClusterRoles the chart binds to that ServiceAccount, as Kubernetes' RBAC
 * authorizer answers it. The mock itself allows everything, so without this a 403 shows up only in a real cluster.
 *
 * <p>The other way round, every granted verb that no recorded call uses must be named in the chart by a comment
 * {@code # unrecorded VERB[,VERB] RESOURCE: why}, with the code path that needs it; otherwise it is removed.
 */
class RecordedCallsRbacTest {
    /** Non-resource paths every authenticated user may GET (Kubernetes' default system:discovery role). */
    private static final Pattern DISCOVERY = Pattern.compile("/(api|apis|version|healthz|livez|readyz|openapi)(/.*)?");
    private static final Pattern UNRECORDED = Pattern.compile("#\\s*unrecorded\\s+([a-z,]+)\\s+([a-z./]+):");

    @ParameterizedTest(name = "watchNamespace set: {0}, TLS from Ingresses: {1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void everyCallOfTheGatewayAndTheControllerIsAllowedByTheChartsRbac(boolean watchNamespace, boolean tls)
            throws Exception {
        String values = (watchNamespace ? "watchNamespace: " + CutoverScenario.APP_NS + "\n" : "")
                + (tls ? "gateway: {tls: {fromIngresses: true}}\n" : "");
        values = values.isEmpty() ? "{}\n" : values;
        String rendered = TealChart.template(values);
        TealChart.Manifests m = TealChart.Manifests.parse(rendered);
        List<ApiCall> calls = CutoverScenario.run(m);

        Map<String, List<ApiRequest>> byAccount = new LinkedHashMap<>();
        for (String deployment : List.of("teal-gateway", "teal-controller")) {
            String account = CutoverScenario.serviceAccount(m, deployment);
            String token = CutoverScenario.token(account);
            List<ApiRequest> requests = calls.stream().filter(c -> c.identity().equals(token)).map(ApiRequest::of)
                    .distinct().toList();
            assertThat(requests).as("%s made calls", account).isNotEmpty();
            byAccount.put(account, requests);
        }
        assertThat(calls).as("every call came from one of the chart's ServiceAccounts or the test itself")
                .allMatch(c -> c.identity().equals("cluster-admin") || byAccount.keySet().stream()
                        .anyMatch(a -> c.identity().equals(CutoverScenario.token(a))));

        Set<String> unrecorded = unrecordedComments(rendered);
        Map<String, List<String>> forbidden = new LinkedHashMap<>();
        Map<String, List<String>> unused = new LinkedHashMap<>();
        for (Map.Entry<String, List<ApiRequest>> e : byAccount.entrySet()) {
            List<RbacTest.Bound> bound = RbacTest.bound(m, e.getKey());
            forbidden.put(e.getKey(), e.getValue().stream().filter(r -> !allowed(bound, r)).map(ApiRequest::toString)
                    .toList());
            unused.put(e.getKey(), grants(bound).stream()
                    .filter(g -> e.getValue().stream().noneMatch(g::allows))
                    .filter(g -> !unrecorded.contains(g.verb() + " " + g.resource()))
                    .map(Grant::toString).toList());
        }
        assertThat(forbidden).as("calls each ServiceAccount's RBAC forbids (a real API server answers 403)")
                .allSatisfy((account, denied) -> assertThat(denied).as(account).isEmpty());
        assertThat(unused).as("granted rules no recorded call uses and no '# unrecorded' comment explains")
                .allSatisfy((account, grants) -> assertThat(grants).as(account).isEmpty());
    }

    /** Kubernetes' RBAC authorizer: some rule of some bound role matches the request. */
    static boolean allowed(List<RbacTest.Bound> bound, ApiRequest r) {
        if (r.nonResource() != null) {
            return r.verb().equals("get") && DISCOVERY.matcher(r.nonResource()).matches();
        }
        return grants(bound).stream().anyMatch(g -> g.allows(r));
    }

    /** One verb on one group/resource, in one namespace ("*" for a ClusterRoleBinding), limited to names or not. */
    record Grant(String namespace, String group, String resource, String verb, List<String> names) {
        boolean allows(ApiRequest r) {
            return r.nonResource() == null
                    && (namespace.equals("*") || namespace.equals(r.namespace()))
                    && group.equals(r.group()) && resource.equals(r.resource()) && verb.equals(r.verb())
                    && (names.isEmpty() || r.name() != null && names.contains(r.name()));
        }

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource
                    + (names.isEmpty() ? "" : " " + names) + " in " + namespace;
        }
    }

    static List<Grant> grants(List<RbacTest.Bound> bound) {
        List<Grant> out = new ArrayList<>();
        for (RbacTest.Bound b : bound) {
            for (PolicyRule rule : b.rules()) {
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String verb : rule.getVerbs()) {
                            out.add(new Grant(b.namespace(), group, resource, verb, List.copyOf(rule.getResourceNames())));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** "verb resource" for every {@code # unrecorded verb[,verb] resource: why} comment in the rendered chart. */
    static Set<String> unrecordedComments(String rendered) {
        Set<String> out = new TreeSet<>();
        Matcher matcher = UNRECORDED.matcher(rendered);
        while (matcher.find()) {
            for (String verb : matcher.group(1).split(",")) {
                out.add(verb + " " + matcher.group(2));
            }
        }
        return out;
    }
}
