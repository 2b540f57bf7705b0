{{/* Chart name, overridable. */}}
{{- define "metallb-net.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name: the release name alone when it already holds the chart name. */}}
{{- define "metallb-net.fullname" -}}
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

{{- define "metallb-net.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "metallb-net.labels" -}}
helm.sh/chart: {{ include "metallb-net.chart" . }}
{{ include "metallb-net.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels a selector may use: they never change across upgrades. */}}
{{- define "metallb-net.selectorLabels" -}}
app.kubernetes.io/name: {{ include "metallb-net.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "metallb-net.controller.serviceAccountName" -}}
{{- if .Values.controller.serviceAccount.create }}
{{- default (printf "%s-controller" (include "metallb-net.fullname" .)) .Values.controller.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.controller.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "metallb-net.speaker.serviceAccountName" -}}
{{- if .Values.speaker.serviceAccount.create }}
{{- default (printf "%s-speaker" (include "metallb-net.fullname" .)) .Values.speaker.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.speaker.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The memberlist Secret the controller creates and the speakers mount. */}}
{{- define "metallb-net.secretName" -}}
{{- default (printf "%s-memberlist" (include "metallb-net.fullname" .)) .Values.speaker.secretName | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The label selector of the speaker pods, for memberlist's peer discovery. */}}
{{- define "metallb-net.speakerLabels" -}}
app.kubernetes.io/name={{ include "metallb-net.name" . }},app.kubernetes.io/component=speaker
{{- end }}

{{- define "metallb-net.image" -}}
{{- .image.repository }}:{{ .image.tag | default .appVersion }}
{{- end }}

{{/* An httpGet probe; dict "probe" the values, "port", "host" (optional). */}}
{{- define "metallb-net.probe" -}}
httpGet:
  path: {{ .path }}
  port: {{ .port }}
  {{- with .host }}
  host: {{ . }}
  {{- end }}
initialDelaySeconds: {{ .probe.initialDelaySeconds }}
periodSeconds: {{ .probe.periodSeconds }}
timeoutSeconds: {{ .probe.timeoutSeconds }}
successThreshold: {{ .probe.successThreshold }}
failureThreshold: {{ .probe.failureThreshold }}
{{- end }}

{{/* Upstream TLS flags, passed on so values files behave the same; our endpoints are HTTP and say so. */}}
{{- define "metallb-net.tlsArgs" -}}
{{- with .Values.tls.cipherSuites }}
- --tls-cipher-suites={{ . }}
{{- end }}
{{- with .Values.tls.curvePreferences }}
- --tls-curve-preferences={{ . }}
{{- end }}
{{- with .Values.tls.minVersion }}
- --tls-min-version={{ . }}
{{- end }}
{{- end }}
