// The CDK app (`npx cdk synth`, `npx cdk deploy --all -c mailDomain=in.example.org -c publicUrl=...`).
// Without -c mailDomain=... or -c publicUrl=..., synth uses example values (see build-app.ts)
// and warns. The reply-token keys come from a Secrets Manager secret (see reply-token-keys.ts).
import { buildApp } from './build-app.ts';

buildApp().app.synth();
