{{- /*
This subchart renders no objects. Its CRDs sit in crds/, which Helm applies on install only and
only where absent; as templates they would be upgraded, and deleted on uninstall, taking every
Gateway and route in the cluster with them.
*/ -}}
