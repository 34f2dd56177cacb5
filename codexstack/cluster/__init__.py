"""The engine binaries and the local Kubernetes cluster codexstack runs against.

``versions`` pins every binary (one source of truth shared with ``scripts/engine``), ``tools``
finds the cached builds, ``pki`` makes the cluster's certificates, ``local`` starts, stops and
checks a loopback-only control plane (etcd, kube-apiserver, kube-controller-manager,
kube-scheduler and kwok for a fake node), and ``doctor`` reports on all of it. Nothing here
imports Pulumi.
"""
