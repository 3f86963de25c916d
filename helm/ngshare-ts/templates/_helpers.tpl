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

{{/* "true" when the pods need the chart's volume: the SQLite file, or files in a folder. */}}
{{- define "ngshare-ts.needsVolume" -}}
{{- if or (eq .Values.database.type "sqlite") (ne .Values.storage.type "s3") }}true{{ end }}
{{- end }}

{{/* "true" when the Deployment mounts the chart's (or an existing) PersistentVolumeClaim. */}}
{{- define "ngshare-ts.volume" -}}
{{- if and .Values.persistence.enabled (include "ngshare-ts.needsVolume" .) }}true{{ end }}
{{- end }}

{{/* The --storage argument: s3://BUCKET[/PREFIX], or the files folder on the volume. */}}
{{- define "ngshare-ts.storageArg" -}}
{{- if eq .Values.storage.type "s3" }}
{{- $prefix := trimAll "/" .Values.storage.s3.prefix }}
{{- printf "s3://%s%s" .Values.storage.s3.bucket (ternary (printf "/%s" $prefix) "" (ne $prefix "")) }}
{{- else }}
{{- printf "%s/files" (trimSuffix "/" .Values.persistence.mountPath) }}
{{- end }}
{{- end }}

{{- define "ngshare-ts.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ngshare-ts.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* "true" when the chart renders a PodDisruptionBudget (auto: replicas > 1). */}}
{{- define "ngshare-ts.pdbEnabled" -}}
{{- $on := .Values.podDisruptionBudget.enabled }}
{{- if or (eq (toString $on) "true") (and (eq (toString $on) "auto") (gt (int .Values.replicas) 1)) }}true{{ end }}
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
{{- fail "SQLite mode supports exactly 1 replica (replicas > 1 would corrupt the database): set database.type=postgresql with database.existingSecret to scale out, and storage.type=s3 for replicas without a shared volume" }}
{{- end }}
{{- if and (eq $db "sqlite") (not .Values.persistence.enabled) }}
{{- fail "SQLite mode needs persistence.enabled=true (the database would be lost on every restart)" }}
{{- end }}
{{- if and (eq $db "postgresql") (not .Values.database.existingSecret.name) }}
{{- fail "database.type=postgresql needs database.existingSecret.name (a Secret holding the database URL under database.existingSecret.key)" }}
{{- end }}
{{- $st := .Values.storage.type }}
{{- $s3 := .Values.storage.s3 }}
{{- if not (has $st (list "folder" "s3")) }}
{{- fail (printf "storage.type must be \"folder\" or \"s3\", not %q" $st) }}
{{- end }}
{{- if and (eq $st "s3") (not $s3.bucket) }}
{{- fail "storage.type=s3 needs storage.s3.bucket (the name of an existing bucket)" }}
{{- end }}
{{- if and (eq $st "folder") (or $s3.bucket $s3.prefix $s3.endpoint $s3.region $s3.forcePathStyle $s3.existingSecret.name) }}
{{- fail "storage.s3.* is set but storage.type is \"folder\": set storage.type=s3 to keep the files in the bucket, or remove storage.s3" }}
{{- end }}
{{- if and $s3.existingSecret.name (or (not $s3.existingSecret.accessKeyIdKey) (not $s3.existingSecret.secretAccessKeyKey)) }}
{{- fail "storage.s3.existingSecret.name needs both accessKeyIdKey and secretAccessKeyKey (the Secret's keys for the access key id and the secret key)" }}
{{- end }}
{{- if and (eq $db "postgresql") (eq $st "folder") (gt (int .Values.replicas) 1) .Values.persistence.enabled }}
{{- $modes := include "ngshare-ts.accessModes" . }}
{{- if not (contains "ReadWriteMany" $modes) }}
{{- fail "replicas > 1 share the file storage volume: persistence.accessModes must include ReadWriteMany (or use storage.type=s3, which needs no volume)" }}
{{- end }}
{{- end }}
{{- if and (eq $db "postgresql") (eq $st "folder") (gt (int .Values.replicas) 1) (not .Values.persistence.enabled) }}
{{- fail "replicas > 1 need a shared (ReadWriteMany) volume for uploaded files: keep persistence.enabled=true, or use storage.type=s3" }}
{{- end }}
{{- $pdb := .Values.podDisruptionBudget }}
{{- $min := toString $pdb.minAvailable }}
{{- $max := toString $pdb.maxUnavailable }}
{{- if and (ne $min "") (ne $max "") }}
{{- fail "podDisruptionBudget: set minAvailable or maxUnavailable, not both" }}
{{- end }}
{{- if and (include "ngshare-ts.pdbEnabled" .) (ne $min "") (not (hasSuffix "%" $min)) (ge (int $min) (int .Values.replicas)) }}
{{- fail (printf "podDisruptionBudget.minAvailable=%v with replicas=%v would block every node drain: lower it or raise replicas" $pdb.minAvailable .Values.replicas) }}
{{- end }}
{{- if and (include "ngshare-ts.pdbEnabled" .) (or (eq $max "0") (eq $max "0%")) }}
{{- fail "podDisruptionBudget.maxUnavailable=0 would block every node drain: use 1 or more" }}
{{- end }}
{{- if and (not .Values.serviceAccount.create) .Values.serviceAccount.annotations }}
{{- fail "serviceAccount.annotations only apply to a ServiceAccount the chart creates (serviceAccount.create=true); annotate your own ServiceAccount instead" }}
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

{{/* A PodDisruptionBudget count: 2 or "50%" (a number given as the string "2" becomes 2). */}}
{{- define "ngshare-ts.intOrPercent" -}}
{{- if hasSuffix "%" (toString .) }}{{ toString . | quote }}{{ else }}{{ int . }}{{ end }}
{{- end }}
