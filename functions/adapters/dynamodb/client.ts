// The DynamoDB client comes from the one client factory; this path stays for the code that imports it.
export { makeDocumentClient } from '../aws-clients.ts';
