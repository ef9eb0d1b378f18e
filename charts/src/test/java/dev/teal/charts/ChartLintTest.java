package dev.teal.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

class ChartLintTest {

    @Test
    void lintPassesStrictWithDefaultValues() {
        LintResult result = TealChart.lintStrict();
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    }

    @Test
    void lintPassesStrictWithAllFeaturesOn() {
        LintResult result = TealChart.lintStrict(TealChart.ALL_FEATURES_ON);
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    }

    @Test
    void defaultRenderHoldsNoOptionalParts() {
        var manifests = TealChart.render();
        assertThat(manifests.resources()).extracting(r -> r.getKind())
                .doesNotContain("ServiceMonitor", "PrometheusRule", "HorizontalPodAutoscaler")
                .contains("Deployment", "Service", "ConfigMap", "PodDisruptionBudget", "IngressClass",
                        "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ServiceAccount");
    }

    @Test
    void allFeaturesOnRendersEveryOptionalPart() {
        var manifests = TealChart.render(TealChart.ALL_FEATURES_ON);
        assertThat(manifests.resources()).extracting(r -> r.getKind())
                .contains("ServiceMonitor", "PrometheusRule", "HorizontalPodAutoscaler", "PodDisruptionBudget");
        assertThat(manifests.get("ConfigMap", "teal-dashboard").getMetadata().getLabels())
                .containsEntry("grafana_dashboard", "1");
    }
}
