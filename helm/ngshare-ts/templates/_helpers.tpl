{{/* Chart name, truncated to 63 chars. */}}
{{- define "ngshare-ts.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name. */}}
{{- define "ngshare-ts.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "ngshare-ts.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ngshare-ts.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ngshare-ts.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "ngshare-ts.labels" -}}
helm.sh/chart: {{ include "ngshare-ts.chart" . }}
{{ include "ngshare-ts.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: exchange
{{- end }}

{{/* Secret holding the hub API token created by this chart. */}}
{{- define "ngshare-ts.tokenSecretName" -}}
{{- printf "%s-token" (include "ngshare-ts.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ngshare-ts.pvcName" -}}
{{- if .Values.persistence.existingClaim }}
{{- .Values.persistence.existingClaim }}
{{- else }}
{{- printf "%s-data" (include "ngshare-ts.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* JupyterHub service prefix: <baseUrl>services/<serviceName>/ */}}
{{- define "ngshare-ts.servicePrefix" -}}
{{- printf "%s/services/%s/" (trimSuffix "/" .Values.hub.baseUrl) .Values.serviceName }}
{{- end }}

{{- define "ngshare-ts.clientId" -}}
{{- default (printf "service-%s" .Values.serviceName) .Values.hub.clientId }}
{{- end }}

{{- define "ngshare-ts.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Cluster-internal URL of the Kubernetes Service (what hub.services.<name>.url points at). */}}
{{- define "ngshare-ts.internalUrl" -}}
{{- printf "http://%s.%s.svc.cluster.local:%v" (include "ngshare-ts.fullname" .) .Release.Namespace .Values.service.port }}
{{- end }}

{{/* PVC access modes: explicit, or derived from the database mode. */}}
{{- define "ngshare-ts.accessModes" -}}
{{- if .Values.persistence.accessModes }}
{{- toYaml .Values.persistence.accessModes }}
{{- else if and (eq .Values.database.type "postgresql") (gt (int .Values.replicas) 1) }}
- ReadWriteMany
{{- else }}
- ReadWriteOnce
{{- end }}
{{- end }}

{{/* Fail early on configurations that cannot work. Included by the Deployment. */}}
{{- define "ngshare-ts.validate" -}}
{{- $db := .Values.database.type }}
{{- if not (has $db (list "sqlite" "postgresql")) }}
{{- fail (printf "database.type must be \"sqlite\" or \"postgresql\", not %q" $db) }}
{{- end }}
{{- if and (eq $db "sqlite") (gt (int .Values.replicas) 1) }}
{{- fail "SQLite mode supports exactly 1 replica (replicas > 1 would corrupt the database): set database.type=postgresql with database.existingSecret to scale out" }}
{{- end }}
{{- if and (eq $db "sqlite") (not .Values.persistence.enabled) }}
{{- fail "SQLite mode needs persistence.enabled=true (the database would be lost on every restart)" }}
{{- end }}
{{- if and (eq $db "postgresql") (not .Values.database.existingSecret.name) }}
{{- fail "database.type=postgresql needs database.existingSecret.name (a Secret holding the database URL under database.existingSecret.key)" }}
{{- end }}
{{- if and (eq $db "postgresql") (gt (int .Values.replicas) 1) .Values.persistence.enabled }}
{{- $modes := include "ngshare-ts.accessModes" . }}
{{- if not (contains "ReadWriteMany" $modes) }}
{{- fail "replicas > 1 share the file storage volume: persistence.accessModes must include ReadWriteMany" }}
{{- end }}
{{- end }}
{{- if and (eq $db "postgresql") (gt (int .Values.replicas) 1) (not .Values.persistence.enabled) }}
{{- fail "replicas > 1 need a shared (ReadWriteMany) volume for uploaded files: keep persistence.enabled=true" }}
{{- end }}
{{- range .Values.ngshare.admins }}
{{- if contains "," . }}
{{- fail (printf "ngshare.admins: %q contains a comma" .) }}
{{- end }}
{{- end }}
{{- if and .Values.hub.existingSecret.name (not .Values.hub.existingSecret.key) }}
{{- fail "hub.existingSecret.key is required with hub.existingSecret.name" }}
{{- end }}
{{- if not (regexMatch "^[a-zA-Z0-9][a-zA-Z0-9._-]*$" .Values.serviceName) }}
{{- fail "serviceName must be a URL-safe JupyterHub service name" }}
{{- end }}
{{- end }}
