{{/*
Names. Kubernetes caps most names at 63 characters; the controller's objects add "-controller"
(11) to the prefix, so the prefix is cut at 52.
*/}}
{{- define "causeway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every object name: the release name alone when it already says "causeway"
(`helm install causeway ...` gives causeway-controller, the name the controller assumes by
default), otherwise "<release>-causeway".
*/}}
{{- define "causeway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "causeway.controller.fullname" -}}
{{- printf "%s-controller" (include "causeway.fullname" .) }}
{{- end }}

{{- define "causeway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels never change after the first install (a Deployment's selector is immutable), so
they hold nothing that varies between releases of the chart.
*/}}
{{- define "causeway.controller.selectorLabels" -}}
app.kubernetes.io/name: {{ include "causeway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end }}

{{/*
Labels of every object the chart renders. managed-by stays "Helm": the controller treats
objects labelled app.kubernetes.io/managed-by=causeway as its own data planes and would
delete the chart's Deployment if it carried that value.
*/}}
{{- define "causeway.labels" -}}
helm.sh/chart: {{ include "causeway.chart" . }}
app.kubernetes.io/name: {{ include "causeway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/part-of: causeway
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "causeway.controller.labels" -}}
{{ include "causeway.labels" . }}
app.kubernetes.io/component: controller
{{- end }}

{{- define "causeway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "causeway.controller.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
One image for the controller and for the data planes it creates: `causeway controller` and
`causeway proxy` ship in the same binary, so running both from one tag keeps them in step.
*/}}
{{- define "causeway.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* Where proxies reach the controller's configuration server: the Service below. */}}
{{- define "causeway.controlPlaneURL" -}}
{{- printf "https://%s.%s.svc:15010" (include "causeway.controller.fullname" .) .Release.Namespace }}
{{- end }}
