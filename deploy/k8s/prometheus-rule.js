#!/usr/bin/env node
// Writes deploy/k8s/prometheus-rule.yaml from deploy/monitoring/prometheus/alerts.yml (one source of the rules;
// kustomize cannot load files outside deploy/k8s). `npm run k8s:rules`; deploy/k8s/k8s.spec.ts checks they agree.
const { parse, stringify } = require('yaml');
const fs = require('node:fs');
const path = require('node:path');
const root = path.join(__dirname, '../..');
const rules = parse(fs.readFileSync(path.join(root, 'deploy/monitoring/prometheus/alerts.yml'), 'utf8'));
const header =
  '# GENERATED from deploy/monitoring/prometheus/alerts.yml (kustomize cannot load files outside deploy/k8s);\n' +
  '# deploy/k8s/k8s.spec.ts fails when the two differ. Regenerate: npm run k8s:rules\n';
const rule = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'sozialmonitor' }, spec: { groups: rules.groups } };
fs.writeFileSync(path.join(__dirname, 'prometheus-rule.yaml'), header + stringify(rule, { lineWidth: 0 }));
