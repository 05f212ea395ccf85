{{- define "recsys.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "recsys.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "recsys.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "recsys.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "recsys.selectorLabels" -}}
app.kubernetes.io/name: {{ include "recsys.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "recsys.serverSelectorLabels" -}}
{{ include "recsys.selectorLabels" . }}
app.kubernetes.io/component: server
{{- end -}}

{{- define "recsys.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "recsys.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "recsys.registryClaim" -}}
{{- if .Values.registry.persistence.existingClaim -}}
{{- .Values.registry.persistence.existingClaim -}}
{{- else -}}
{{- printf "%s-registry" (include "recsys.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "recsys.serverImage" -}}
{{- $repo := ternary .Values.image.gpuRepository .Values.image.repository .Values.gpu.enabled -}}
{{- printf "%s:%s" $repo (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "recsys.trainerImage" -}}
{{- printf "%s:%s" .Values.trainer.image.repository (default .Chart.AppVersion .Values.trainer.image.tag) -}}
{{- end -}}

{{/* The trainer container, shared by the Job and the CronJob. */}}
{{/* The ConfigMap of public keys servers trust, or "" when versions need no signature. */}}
{{- define "recsys.trustedKeysConfigMap" -}}
{{- if .Values.signing.trustedKeys -}}
{{ include "recsys.fullname" . }}-trusted-keys
{{- else -}}
{{ .Values.signing.trustedKeysConfigMap }}
{{- end -}}
{{- end -}}

{{- define "recsys.trainerPod" -}}
serviceAccountName: {{ include "recsys.serviceAccountName" . }}
restartPolicy: Never
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
containers:
  - name: trainer
    image: {{ include "recsys.trainerImage" . }}
    imagePullPolicy: {{ .Values.image.pullPolicy }}
    args:
      - train
      - --data={{ .Values.trainer.dataset }}
      - --registry={{ .Values.registry.mountPath }}
      - --name={{ .Values.server.model }}
      {{- with .Values.trainer.promote }}
      - --promote={{ . }}
      {{- end }}
      {{- range .Values.trainer.extraArgs }}
      - {{ . | quote }}
      {{- end }}
    env:
      - name: RECSYS_CACHE_DIR
        value: /tmp/datasets
      - name: DJL_CACHE_DIR
        value: /tmp/djl
      {{- with .Values.trainer.dataDir }}
      - name: RECSYS_DATA_DIR
        value: {{ . | quote }}
      {{- end }}
      {{- if .Values.signing.keySecret }}
      - name: RECSYS_SIGNING_KEY
        value: /etc/recsys/signing/signing.key
      {{- end }}
    securityContext:
      {{- toYaml .Values.securityContext | nindent 6 }}
    resources:
      {{- toYaml .Values.trainer.resources | nindent 6 }}
    volumeMounts:
      - name: registry
        mountPath: {{ .Values.registry.mountPath }}
      - name: tmp
        mountPath: /tmp
      {{- if .Values.signing.keySecret }}
      - name: signing-key
        mountPath: /etc/recsys/signing
        readOnly: true
      {{- end }}
volumes:
  - name: registry
    persistentVolumeClaim:
      claimName: {{ include "recsys.registryClaim" . }}
  - name: tmp
    emptyDir:
      sizeLimit: 8Gi
  {{- if .Values.signing.keySecret }}
  - name: signing-key
    secret:
      secretName: {{ .Values.signing.keySecret }}
      defaultMode: 0400
  {{- end }}
{{- end -}}

{{/*
Processors the server's JVM sizes its pools for (GC threads, Netty event loops, call workers):
the pod's CPU limit, or its request when it has no limit, rounded up. Without it the JVM counts
the node's cores, and a pod granted 1 CPU on a 64-core node runs 128 worker threads.
*/}}
{{- define "recsys.activeProcessors" -}}
{{- $cpu := toString (dig "limits" "cpu" "" .Values.resources | default (dig "requests" "cpu" "" .Values.resources)) -}}
{{- if $cpu -}}
{{- if hasSuffix "m" $cpu -}}
{{- max 1 (ceil (divf (trimSuffix "m" $cpu | float64) 1000)) -}}
{{- else -}}
{{- max 1 (ceil ($cpu | float64)) -}}
{{- end -}}
{{- end -}}
{{- end }}
