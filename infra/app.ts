// The CDK app: npx cdk deploy --all -c mailDomain=in.example.org -c fromAddress=digest@example.org -c alarmEmail=ops@example.org
// Every value is required (see build-app.ts); `npm run synth` passes example values explicitly.
import { buildApp } from './build-app.ts';

buildApp().app.synth();
