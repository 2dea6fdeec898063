// The CDK app (`npx cdk synth`, `npx cdk deploy --all -c mailDomain=in.example.org`).
// Without -c mailDomain=..., synth uses in.example.com (see build-app.ts) and warns.
import { buildApp } from './build-app.ts';

buildApp().app.synth();
