{{/* Chart name, overridable. */}}
{{- define "teal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Resource name prefix: release name, plus the chart name unless already in it. */}}
{{- define "teal.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "teal.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Names of the pieces. The 40-character prefix leaves room for the longest suffix. */}}
{{- define "teal.gateway.fullname" -}}{{ include "teal.fullname" . }}-gateway{{- end -}}
{{- define "teal.gateway.adminService" -}}{{ include "teal.fullname" . }}-gateway-admin{{- end -}}
{{- define "teal.controller.fullname" -}}{{ include "teal.fullname" . }}-controller{{- end -}}
{{- define "teal.controller.metricsService" -}}{{ include "teal.fullname" . }}-controller-metrics{{- end -}}
{{- define "teal.controller.leaseName" -}}{{ default (include "teal.controller.fullname" .) .Values.controller.leaseName }}{{- end -}}

{{/* Labels on every resource. */}}
{{- define "teal.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "teal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of one component: include "teal.selectorLabels" (list . "gateway") */}}
{{- define "teal.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "teal.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* Image reference of one component: include "teal.image" (list . .Values.gateway.image) */}}
{{- define "teal.image" -}}
{{- $root := index . 0 -}}
{{- $image := index . 1 -}}
{{- printf "%s/%s:%s" $root.Values.image.registry $image.repository (default $root.Chart.AppVersion $image.tag) -}}
{{- end -}}

{{/*
Whole seconds of a gateway duration ("500ms", "5s", "2m"); the schema allows only these forms.
Milliseconds round up, so the grace period never comes out short.
*/}}
{{- define "teal.durationSeconds" -}}
{{- $d := toString . -}}
{{- if hasSuffix "ms" $d -}}
{{- div (add (trimSuffix "ms" $d | int) 999) 1000 -}}
{{- else if hasSuffix "m" $d -}}
{{- mul (trimSuffix "m" $d | int) 60 -}}
{{- else -}}
{{- trimSuffix "s" $d | int -}}
{{- end -}}
{{- end -}}

{{/* RBAC kind for namespaced resources: cluster-wide unless watchNamespace narrows it. */}}
{{- define "teal.watchRoleKind" -}}
{{- if .Values.watchNamespace }}Role{{ else }}ClusterRole{{ end -}}
{{- end -}}

{{/* Pod settings shared by both Deployments: pull secrets, security context, /tmp volume. */}}
{{- define "teal.podCommon" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end -}}

{{/* Probe on a named port: include "teal.probe" (list "/healthz" "admin" .Values.gateway.livenessProbe) */}}
{{- define "teal.probe" -}}
httpGet:
  path: {{ index . 0 }}
  port: {{ index . 1 }}
{{ toYaml (index . 2) }}
{{- end -}}

{{/* Whether the gateway opens its HTTPS port: gateway.tls.enabled or gateway.tls.fromIngresses. */}}
{{- define "teal.gateway.tls" -}}
{{- if or .Values.gateway.tls.enabled .Values.gateway.tls.fromIngresses -}}true{{- end -}}
{{- end }}

{{/*
The namespaces whose Secrets the gateway reads (comma-separated): gateway.tls.secretNamespaces, else
watchNamespace; empty means every namespace.
*/}}
{{- define "teal.gateway.secretNamespaces" -}}
{{- if .Values.gateway.tls.secretNamespaces -}}
{{- join "," .Values.gateway.tls.secretNamespaces -}}
{{- else -}}
{{- .Values.watchNamespace -}}
{{- end -}}
{{- end }}
